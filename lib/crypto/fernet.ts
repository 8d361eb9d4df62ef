/**
 * Fernet (https://github.com/fernet/spec) on node:crypto, byte-compatible with Python's
 * `cryptography.fernet`. No `server-only` import: CLI scripts run through tsx use it too.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** The signing and encryption halves of a 32-byte Fernet key. */
export type ParsedKey = { signingKey: Buffer; encryptionKey: Buffer };

/** Thrown for every decryption failure; the message is fixed so no token or key material leaks into logs. */
export class InvalidToken extends Error {
  constructor() {
    super("Invalid Fernet token");
    this.name = "InvalidToken";
  }
}

const VERSION = 0x80;
const HEADER = 1 + 8 + 16; // version, timestamp, IV
const MAC = 32;
const MAX_CLOCK_SKEW = 60; // seconds, as in cryptography.fernet
// 32 bytes are 43 base64 chars plus one optional "=".
const KEY_RE = /^[A-Za-z0-9_-]{43}=?$/;
// Buffer.from(..., "base64url") silently skips bad characters, so whole tokens are validated first;
// padding is required, as Python's urlsafe_b64decode does.
const TOKEN_RE = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/;

/**
 * Splits a url-safe base64 Fernet key (with or without "=" padding) into its two 16-byte halves.
 * @throws Error without key material in the message if the key is malformed.
 */
export function parseFernetKey(key: string): ParsedKey {
  const raw = KEY_RE.test(key) ? Buffer.from(key, "base64url") : Buffer.alloc(0);
  if (raw.length !== 32) throw new Error("BYOK encryption key must be 32 bytes of url-safe base64");
  return { signingKey: raw.subarray(0, 16), encryptionKey: raw.subarray(16) };
}

/** A fresh random key, url-safe base64 with padding, like Python's `Fernet.generate_key()`. */
export function generateFernetKey(): string {
  return toBase64Url(randomBytes(32));
}

/**
 * Encrypts to a Fernet token (url-safe base64 with "=" padding, exactly as Python emits).
 * `iv` and `now` (unix seconds) exist for deterministic test vectors; leave them unset otherwise.
 */
export function fernetEncrypt(
  key: string | ParsedKey,
  plaintext: string | Buffer,
  opts: { iv?: Buffer; now?: number } = {},
): string {
  const { signingKey, encryptionKey } = typeof key === "string" ? parseFernetKey(key) : key;
  const iv = opts.iv ?? randomBytes(16);
  if (iv.length !== 16) throw new Error("Fernet IV must be 16 bytes");
  const header = Buffer.alloc(9);
  header[0] = VERSION;
  header.writeBigUInt64BE(BigInt(Math.floor(opts.now ?? Date.now() / 1000)), 1);
  const cipher = createCipheriv("aes-128-cbc", encryptionKey, iv); // PKCS7 padding is Node's default
  const body = Buffer.concat([header, iv, cipher.update(plaintext), cipher.final()]);
  const mac = createHmac("sha256", signingKey).update(body).digest();
  return toBase64Url(Buffer.concat([body, mac]));
}

/**
 * Verifies and decrypts a Fernet token. Like Python, there is no default TTL: age and the
 * 60 s far-future clock-skew rule are only checked when `ttl` (seconds) is given.
 * @throws InvalidToken on any failure.
 */
export function fernetDecrypt(
  key: string | ParsedKey,
  token: string,
  opts: { ttl?: number; now?: number } = {},
): Buffer {
  const { signingKey, encryptionKey } = typeof key === "string" ? parseFernetKey(key) : key;
  if (typeof token !== "string" || !TOKEN_RE.test(token)) throw new InvalidToken();
  const data = Buffer.from(token, "base64url");
  if (data.length < HEADER + MAC || data[0] !== VERSION) throw new InvalidToken();

  if (opts.ttl !== undefined) {
    // Number() only loses precision far beyond any realistic clock, where the comparisons still hold.
    const timestamp = Number(data.readBigUInt64BE(1));
    const now = Math.floor(opts.now ?? Date.now() / 1000);
    if (timestamp + opts.ttl < now || now + MAX_CLOCK_SKEW < timestamp) throw new InvalidToken();
  }

  // Authenticate before touching the ciphertext, so padding errors can't serve as an oracle.
  const body = data.subarray(0, data.length - MAC);
  const expected = createHmac("sha256", signingKey).update(body).digest();
  if (!timingSafeEqual(expected, data.subarray(data.length - MAC))) throw new InvalidToken();

  const ciphertext = body.subarray(HEADER);
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) throw new InvalidToken();
  try {
    const decipher = createDecipheriv("aes-128-cbc", encryptionKey, body.subarray(9, HEADER));
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new InvalidToken(); // bad PKCS7 padding
  }
}

function toBase64Url(buf: Buffer): string {
  return buf.toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}
