import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import generate from "@/test/fixtures/fernet-spec/generate.json";
import invalid from "@/test/fixtures/fernet-spec/invalid.json";
import verify from "@/test/fixtures/fernet-spec/verify.json";
import { fernetDecrypt, fernetEncrypt, generateFernetKey, InvalidToken, parseFernetKey } from "./fernet";

// The `fernet` npm package ships no types; only the bits used here are declared.
type FernetJsToken = { encode(message: string): string; decode(token?: string): string };
type FernetJs = {
  Secret: new (secret64: string) => unknown;
  Token: new (opts: { secret: unknown; token?: string; ttl?: number }) => FernetJsToken;
};
const fernetJs = createRequire(import.meta.url)("fernet") as FernetJs;

const unix = (rfc3339: string) => Date.parse(rfc3339) / 1000;
/** Padded url-safe base64, the form Python emits and accepts. */
const b64url = (buf: Buffer) => buf.toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
const KEY_ERROR = "BYOK encryption key must be 32 bytes of url-safe base64";

describe("fernet spec vectors", () => {
  for (const v of generate) {
    it(`generate: ${v.src}`, () => {
      expect(fernetEncrypt(v.secret, v.src, { iv: Buffer.from(v.iv), now: unix(v.now) })).toBe(v.token);
    });
  }

  for (const v of verify) {
    it(`verify: ${v.src}`, () => {
      expect(fernetDecrypt(v.secret, v.token, { ttl: v.ttl_sec, now: unix(v.now) }).toString("utf8")).toBe(v.src);
    });
  }

  it("has all 8 invalid cases", () => expect(invalid).toHaveLength(8));
  for (const v of invalid) {
    it(`invalid: ${v.desc}`, () => {
      expect(() => fernetDecrypt(v.secret, v.token, { ttl: v.ttl_sec, now: unix(v.now) })).toThrow(InvalidToken);
    });
  }
});

describe("fernetEncrypt / fernetDecrypt", () => {
  const key = generateFernetKey();

  it("round-trips strings, unicode, empty and binary data", () => {
    for (const text of ["hello", "", "héllo wörld — 日本語 🔑", "x".repeat(5000)]) {
      expect(fernetDecrypt(key, fernetEncrypt(key, text)).toString("utf8")).toBe(text);
    }
    const bin = Buffer.from([0, 255, 1, 254, 0x80]);
    expect(fernetDecrypt(key, fernetEncrypt(key, bin)).equals(bin)).toBe(true);
  });

  it("accepts a pre-parsed key", () => {
    const parsed = parseFernetKey(key);
    expect(fernetDecrypt(parsed, fernetEncrypt(parsed, "abc")).toString()).toBe("abc");
  });

  it("uses a random IV per call", () => {
    const a = fernetEncrypt(key, "same", { now: 1000 });
    const b = fernetEncrypt(key, "same", { now: 1000 });
    expect(a).not.toBe(b);
    expect(Buffer.from(a, "base64url").subarray(9, 25).equals(Buffer.from(b, "base64url").subarray(9, 25))).toBe(false);
  });

  it("emits padded url-safe base64 starting with the version byte", () => {
    const token = fernetEncrypt(key, "abcd");
    expect(token).toMatch(/^gAAAAA[A-Za-z0-9_-]*=*$/);
    expect(token.length % 4).toBe(0);
  });

  it("fails with the wrong key, with a message free of token and key material", () => {
    const token = fernetEncrypt(key, "secret");
    const other = generateFernetKey();
    let err: unknown;
    try {
      fernetDecrypt(other, token);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidToken);
    expect((err as Error).message).toBe("Invalid Fernet token");
  });

  it("has no default TTL", () => {
    const old = fernetEncrypt(key, "old", { now: 1 });
    expect(fernetDecrypt(key, old).toString()).toBe("old");
    expect(() => fernetDecrypt(key, old, { ttl: 60 })).toThrow(InvalidToken);
  });

  it("applies ttl and the 60 s clock-skew rule only when ttl is given", () => {
    const token = fernetEncrypt(key, "t", { now: 1_000_000 });
    expect(fernetDecrypt(key, token, { ttl: 10, now: 1_000_010 }).toString()).toBe("t");
    expect(() => fernetDecrypt(key, token, { ttl: 10, now: 1_000_011 })).toThrow(InvalidToken);
    expect(fernetDecrypt(key, token, { ttl: 10, now: 1_000_000 - 60 }).toString()).toBe("t");
    expect(() => fernetDecrypt(key, token, { ttl: 10, now: 1_000_000 - 61 })).toThrow(InvalidToken);
    expect(fernetDecrypt(key, token, { now: 1_000_000 - 61 }).toString()).toBe("t");
  });

  it("rejects malformed tokens", () => {
    const token = fernetEncrypt(key, "hello");
    const bad = [
      "",
      token.replace(/=+$/, ""), // Python requires padding too
      token.slice(0, 10) + "!" + token.slice(11),
      token.slice(0, 10) + " " + token.slice(10),
      token.slice(0, 20) + "+" + token.slice(21), // standard, not url-safe, alphabet
      "AAAA" + token.slice(4), // version byte
      b64url(Buffer.from(token, "base64url").subarray(0, 56)), // shorter than header + MAC
    ];
    for (const t of bad) expect(() => fernetDecrypt(key, t), JSON.stringify(t)).toThrow(InvalidToken);
    // Every single flipped byte is caught by the MAC.
    const raw = Buffer.from(token, "base64url");
    expect(fernetDecrypt(key, b64url(raw)).toString()).toBe("hello");
    for (let i = 0; i < raw.length; i++) {
      const copy = Buffer.from(raw);
      copy[i]! ^= 1;
      expect(() => fernetDecrypt(key, b64url(copy))).toThrow(InvalidToken);
    }
  });

  it("encrypts honouring an explicit now", () => {
    const token = fernetEncrypt(key, "x", { now: 499_162_800.9 });
    expect(Buffer.from(token, "base64url").readBigUInt64BE(1)).toBe(499_162_800n);
  });
});

describe("keys", () => {
  it("generates 32-byte padded url-safe keys, distinct per call", () => {
    const a = generateFernetKey();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(a).not.toBe(generateFernetKey());
    const { signingKey, encryptionKey } = parseFernetKey(a);
    expect(Buffer.concat([signingKey, encryptionKey]).equals(Buffer.from(a, "base64url"))).toBe(true);
  });

  it("accepts keys with or without padding", () => {
    const key = generateFernetKey();
    const token = fernetEncrypt(key.replace(/=$/, ""), "p");
    expect(fernetDecrypt(key, token).toString()).toBe("p");
  });

  it("rejects malformed keys without echoing them", () => {
    const good = generateFernetKey();
    const bad = [
      "",
      "short",
      good + "AAAA",
      good.slice(0, 40),
      "+" + good.slice(1),
      "!" + good.slice(1),
      " " + good,
      b64url(Buffer.alloc(16)),
      b64url(Buffer.alloc(33)),
    ];
    for (const k of bad) {
      expect(() => parseFernetKey(k), JSON.stringify(k)).toThrow(KEY_ERROR);
      expect(() => fernetEncrypt(k, "x")).toThrow(KEY_ERROR);
    }
    try {
      parseFernetKey(good.slice(0, 40));
    } catch (e) {
      expect((e as Error).message).not.toContain(good.slice(0, 40));
    }
  });
});

describe("cross-check with the fernet npm package", () => {
  it("our tokens decrypt in fernet.js", () => {
    const key = generateFernetKey();
    for (const text of ["hello", "héllo wörld 🔑", "y".repeat(4096)]) {
      const token = fernetEncrypt(key, text);
      // ttl 0 disables its default 60 s TTL.
      const decoded = new fernetJs.Token({ secret: new fernetJs.Secret(key), token, ttl: 0 }).decode();
      expect(decoded).toBe(text);
    }
  });

  it("fernet.js tokens decrypt in ours", () => {
    const key = generateFernetKey();
    for (const text of ["hello", "héllo wörld 🔑", "z".repeat(4096)]) {
      const token = new fernetJs.Token({ secret: new fernetJs.Secret(key), ttl: 0 }).encode(text);
      expect(fernetDecrypt(key, token, { ttl: 60 }).toString("utf8")).toBe(text);
    }
  });

  it("both sides agree on the spec vector", () => {
    const v = generate[0]!;
    const token = new fernetJs.Token({ secret: new fernetJs.Secret(v.secret), token: v.token, ttl: 0 });
    expect(token.decode()).toBe(v.src);
  });
});
