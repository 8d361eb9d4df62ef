/**
 * Hub keys as strings: how one is made, stored, shown and read from a request. A hub key is
 * `llmhub_` + 40 base62 characters (40 × log2(62) ≈ 238 random bits); only its SHA-256 is stored,
 * and it is shown once. Nothing here logs or echoes a key.
 */
import { createHash, randomBytes } from "node:crypto";

export const HUB_KEY_PREFIX = "llmhub_";
export const HUB_KEY_RANDOM_LENGTH = 40;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
// 248 = 4 × 62: bytes at or above it are dropped, so every character is equally likely (no modulo bias).
const UNBIASED_LIMIT = 248;
const HUB_KEY_SHAPE = /^llmhub_[0-9A-Za-z]{40}$/;

/** `length` base62 characters from the system CSPRNG, by rejection sampling. */
export function randomBase62(length: number, bytes: (n: number) => Uint8Array = randomBytes): string {
  let out = "";
  while (out.length < length) {
    // ~3% of bytes are rejected; ask for a little more than needed so one draw almost always suffices.
    const pool = bytes(Math.ceil((length - out.length) * 1.1) + 4);
    for (const b of pool) {
      if (b >= UNBIASED_LIMIT) continue;
      out += BASE62[b % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A new hub key. Show it once; store `hashHubKey(key)` and `hubKeyPreview(key)`. */
export function generateHubKey(): string {
  return HUB_KEY_PREFIX + randomBase62(HUB_KEY_RANDOM_LENGTH);
}

/** True for a string of the hub key's exact shape (checked before any lookup). */
export function isHubKeyShape(s: string): boolean {
  return HUB_KEY_SHAPE.test(s);
}

/** What is stored: the lower-case hex SHA-256 of the whole key. A fast hash suffices for 238 random bits. */
export function hashHubKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** How a key is listed: the prefix, its first 3 random characters, an ellipsis, its last 4 (`llmhub_Ab3…wxyz`). */
export function hubKeyPreview(key: string): string {
  const random = key.slice(HUB_KEY_PREFIX.length);
  return `${HUB_KEY_PREFIX}${random.slice(0, 3)}…${random.slice(-4)}`;
}

/** The headers a hub key may arrive in (each SDK's own); all of them are removed before forwarding. */
export const HUB_KEY_HEADERS = ["authorization", "x-api-key", "x-goog-api-key", "api-key"] as const;

export type PresentedKey =
  | { ok: true; key: string }
  | { ok: false; reason: "missing" | "malformed" | "conflicting"; message: string };

/**
 * The hub key a request presents: `Authorization: Bearer …`, `x-api-key`, `x-goog-api-key` or
 * `api-key`. Clients may send the same key in several of them (some SDKs do); two different values
 * are refused rather than guessing which one was meant, since either choice could bill the wrong key.
 * Messages name headers, never values.
 */
export function readPresentedKey(headers: Pick<Headers, "get">): PresentedKey {
  const found: { header: string; value: string }[] = [];
  const auth = headers.get("authorization");
  if (auth !== null && auth.trim() !== "") {
    const m = /^\s*bearer\s+(\S+)\s*$/i.exec(auth);
    if (!m?.[1]) return { ok: false, reason: "malformed", message: "Authorization must be 'Bearer <hub key>'" };
    found.push({ header: "Authorization", value: m[1] });
  }
  for (const name of ["x-api-key", "x-goog-api-key", "api-key"] as const) {
    const v = headers.get(name)?.trim();
    if (v) found.push({ header: name, value: v });
  }
  const [first] = found;
  if (!first) {
    return { ok: false, reason: "missing", message: "No hub key: send it as 'Authorization: Bearer <hub key>' (or x-api-key, x-goog-api-key, api-key)" };
  }
  const other = found.find((f) => f.value !== first.value);
  if (other) {
    return { ok: false, reason: "conflicting", message: `Two different keys were sent (${first.header} and ${other.header}); send one hub key` };
  }
  return { ok: true, key: first.value };
}
