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

/**
 * Sign-in hashes wait in one of two lanes. `priority` is for a browser that has signed in to the
 * account before (lib/auth/known-device.ts), `normal` for everyone else; a free slot goes to the
 * priority lane first. Each lane holds at most MAX_WAITING sign-ins (about 1.5 s of work at two
 * hashes at a time): a flood of attempts is refused at once instead of piling up behind each other,
 * and a returning admin is not queued behind it. Hashes without a lane (creating an account, the
 * dummy hash) wait in the normal lane without a bound.
 */
export type HashLane = "priority" | "normal";
const MAX_WAITING = 32;

/** Every place in the lane is taken; `retryAfterSeconds` estimates when it will have drained. */
export class HashQueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("Too many sign-ins are being checked right now");
    this.name = "HashQueueFullError";
  }
}

let running = 0;
const waiting: Record<HashLane, (() => void)[]> = { priority: [], normal: [] };
/** Moving average of one hash's duration, for the Retry-After estimate. */
let averageHashMs = 100;

/** Seconds until the lane would have room again (at least 1), or null when it has room now. */
export function hashQueueFull(lane: HashLane): number | null {
  const max = maxConcurrentHashes();
  if (running < max || waiting[lane].length < MAX_WAITING) return null;
  const ahead = running + waiting.priority.length + (lane === "normal" ? waiting.normal.length : 0);
  return Math.max(1, Math.ceil((ahead * averageHashMs) / max / 1000));
}

async function withHashSlot<T>(lane: HashLane, bounded: boolean, fn: () => Promise<T>): Promise<T> {
  if (running >= maxConcurrentHashes()) {
    const full = bounded ? hashQueueFull(lane) : null;
    if (full !== null) throw new HashQueueFullError(full);
    await new Promise<void>((resolve) => waiting[lane].push(resolve));
  } else running++;
  try {
    return await fn();
  } finally {
    const next = waiting.priority.shift() ?? waiting.normal.shift();
    if (next) next(); // the slot passes straight to the next waiter
    else running--;
  }
}

function scrypt(password: string, salt: Buffer, n: number, r: number, p: number, lane?: HashLane): Promise<Buffer> {
  return withHashSlot(
    lane ?? "normal",
    lane !== undefined,
    () =>
      new Promise<Buffer>((resolve, reject) => {
        const started = performance.now();
        scryptCb(password.normalize("NFKC"), salt, KEYLEN, { N: n, r, p, maxmem: 128 * n * r * 2 }, (err, key) => {
          averageHashMs = 0.8 * averageHashMs + 0.2 * (performance.now() - started);
          return err ? reject(err) : resolve(key);
        });
      }),
  );
}

/** `scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, N, R, P);
  return ["scrypt", Math.log2(N), R, P, salt.toString("base64url"), hash.toString("base64url")].join("$");
}

/**
 * Checks a password against a stored hash. With a `lane` (sign-in), the wait for a hashing slot is
 * bounded: a full lane throws HashQueueFullError at once.
 */
export async function verifyPassword(password: string, stored: string, lane?: HashLane): Promise<boolean> {
  const [kind, logN, r, p, salt, hash] = stored.split("$");
  if (kind !== "scrypt" || !logN || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = await scrypt(password, Buffer.from(salt, "base64url"), 2 ** Number(logN), Number(r), Number(p), lane);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of a random password: verifying against it costs the same as a real one (no user-enumeration timing). */
let dummy: Promise<string> | undefined;
export const dummyPasswordHash = () =>
  (dummy ??= hashPassword(randomBytes(16).toString("hex")).catch((err: unknown) => {
    dummy = undefined; // not remembered: the next sign-in tries again
    throw err;
  }));

/** A random password that is easy to copy: 24 url-safe characters. */
export const generatePassword = () => randomBytes(18).toString("base64url");
