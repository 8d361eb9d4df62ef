import { randomBytes, scrypt as scryptCb, timingSafeEqual } from "node:crypto";
import { availableParallelism } from "node:os";
import { getEnv } from "@/lib/env";

// scrypt N=2^15, r=8, p=1: 32 MiB of memory per hash, ~50-100 ms here; stored with its parameters.
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEYLEN = 32;

/**
 * scrypt runs on libuv's thread pool (4 threads by default), which is a FIFO queue shared with the
 * seal of the new session cookie (WebCrypto), file reads, DNS lookups and compression. Unbounded,
 * a burst of 32 sign-ins queues 32 hashes ahead of every one of their cookie seals, so all 32 finish
 * together after the last hash, and other requests needing the pool wait as long. At most this many
 * hashes run at once, leaving the rest of the pool free; the others wait here, in arrival order.
 */
const maxConcurrentHashes = () => Math.max(1, Math.min(availableParallelism(), getEnv().UV_THREADPOOL_SIZE - 1));
let running = 0;
const waiting: (() => void)[] = [];

async function withHashSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= maxConcurrentHashes()) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    if (next) next(); // the slot passes straight to the next waiter
    else running--;
  }
}

function scrypt(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return withHashSlot(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scryptCb(password.normalize("NFKC"), salt, KEYLEN, { N: n, r, p, maxmem: 128 * n * r * 2 }, (err, key) =>
          err ? reject(err) : resolve(key),
        ),
      ),
  );
}

/** `scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, N, R, P);
  return ["scrypt", Math.log2(N), R, P, salt.toString("base64url"), hash.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, logN, r, p, salt, hash] = stored.split("$");
  if (kind !== "scrypt" || !logN || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = await scrypt(password, Buffer.from(salt, "base64url"), 2 ** Number(logN), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of a random password: verifying against it costs the same as a real one (no user-enumeration timing). */
let dummy: Promise<string> | undefined;
export const dummyPasswordHash = () => (dummy ??= hashPassword(randomBytes(16).toString("hex")));

/** A random password that is easy to copy: 24 url-safe characters. */
export const generatePassword = () => randomBytes(18).toString("base64url");
