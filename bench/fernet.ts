/** Fernet encrypt / decrypt per second: lib/crypto/fernet.ts against the `fernet` npm package. */
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { fernetDecrypt, fernetEncrypt, generateFernetKey, parseFernetKey } from "../lib/crypto/fernet";

// The package ships no types; only what is used here.
type FernetJs = {
  Secret: new (secret64: string) => unknown;
  Token: new (opts: { secret: unknown; token?: string; ttl?: number }) => { encode(m: string): string; decode(): string };
};
const fernetJs = createRequire(import.meta.url)("fernet") as FernetJs;

export interface FernetResult {
  plaintextBytes: number;
  ours: { encrypt: number; decrypt: number };
  npm: { encrypt: number; decrypt: number };
}

/** Operations per second: the best of `rounds` timed loops of about `ms` each (after a warm-up). */
function opsPerSecond(fn: () => void, ms = 400, rounds = 3): number {
  for (let i = 0; i < 200; i++) fn();
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const start = process.hrtime.bigint();
    const until = start + BigInt(ms) * 1_000_000n;
    let now = start;
    while (now < until) {
      for (let i = 0; i < 50; i++) fn();
      n += 50;
      now = process.hrtime.bigint();
    }
    best = Math.max(best, n / (Number(now - start) / 1e9));
  }
  return best;
}

export function benchFernet(): FernetResult {
  const key = generateFernetKey();
  // A realistic provider key: "sk-proj-" and 48 random characters (56 bytes).
  const plaintext = `sk-proj-${randomBytes(36).toString("base64url")}`;
  const parsed = parseFernetKey(key); // the keyring keeps keys parsed, as here
  const secret = new fernetJs.Secret(key);
  const ourToken = fernetEncrypt(parsed, plaintext);
  const npmToken = new fernetJs.Token({ secret, ttl: 0 }).encode(plaintext);
  // Both sides read each other's tokens (the unit suite checks this too).
  if (fernetDecrypt(parsed, npmToken).toString("utf8") !== plaintext) throw new Error("fernet npm token did not decrypt in ours");
  if (new fernetJs.Token({ secret, token: ourToken, ttl: 0 }).decode() !== plaintext) throw new Error("our token did not decrypt in fernet npm");
  return {
    plaintextBytes: Buffer.byteLength(plaintext),
    ours: {
      encrypt: opsPerSecond(() => fernetEncrypt(parsed, plaintext)),
      decrypt: opsPerSecond(() => fernetDecrypt(parsed, ourToken)),
    },
    npm: {
      encrypt: opsPerSecond(() => new fernetJs.Token({ secret, ttl: 0 }).encode(plaintext)),
      decrypt: opsPerSecond(() => new fernetJs.Token({ secret, token: npmToken, ttl: 0 }).decode()),
    },
  };
}
