import "server-only";
import { createHash } from "node:crypto";
import Redis from "ioredis";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";

const g = globalThis as unknown as { __llmhubRedis?: Redis; __llmhubRedisClosers?: (() => Promise<void>)[] };

/** Work to finish before the client closes (a connection of its own that a module made from it). */
export function onRedisClose(fn: () => Promise<void>): void {
  (g.__llmhubRedisClosers ??= []).push(fn);
}

/** The app's ioredis options (the bench's bare floor makes its client with them too). */
export const REDIS_CLIENT_OPTIONS = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  commandTimeout: 1000,
  connectTimeout: 2000,
  retryStrategy: (times: number) => Math.min(200 * times, 2000),
};

/**
 * One ioredis client per process. Commands fail at once while disconnected (no offline queue) and
 * after 1 s when Redis hangs, so callers can fail closed with a 503; it reconnects by itself.
 */
export function getRedis(): Redis | null {
  const url = getEnv().REDIS_URL;
  if (!url) return null;
  if (g.__llmhubRedis) return g.__llmhubRedis;
  let down = false;
  const client = new Redis(url, REDIS_CLIENT_OPTIONS);
  client.on("error", (err: Error & { code?: string }) => {
    if (!down) log.warn("Redis unreachable; rate-limited endpoints answer 503 until it is back", { code: err.code });
    down = true;
  });
  client.on("ready", () => {
    if (down) log.info("Redis reachable again");
    down = false;
  });
  g.__llmhubRedis = client;
  return client;
}

export async function closeRedis(): Promise<void> {
  const closers = g.__llmhubRedisClosers ?? [];
  g.__llmhubRedisClosers = [];
  await Promise.allSettled(closers.map((fn) => fn()));
  const client = g.__llmhubRedis;
  g.__llmhubRedis = undefined;
  if (client) await client.quit().catch(() => client.disconnect());
}

const sha1 = (s: string) => createHash("sha1").update(s).digest("hex");

/**
 * The two commands @upstash/ratelimit calls, for plain Redis. Its scripts start with an
 * Upstash-only `#!lua flags=...` line that Redis rejects, so that line is stripped; the SHA the
 * library asks for is mapped to the stripped script's SHA so that EVALSHA keeps working.
 *
 * A script is stripped and hashed once, and its `eval` is sent as EVALSHA (the script's text only
 * when Redis answers NOSCRIPT: after a restart or SCRIPT FLUSH). Sent as EVAL, every rate-limited
 * request carried the script's ~900 bytes, two SHA-1s here, and one more in Redis.
 */
export function upstashAdapter(client: Redis) {
  const shaOf = new Map<string, string>();
  const scripts = new Map<string, { text: string; sha: string }>();
  const strip = (script: string) => script.replace(/^#!lua[^\n]*\n/, "");
  return {
    async evalsha(hash: string, keys: string[], args: unknown[]) {
      const mapped = shaOf.get(hash);
      if (!mapped) throw new Error("NOSCRIPT No matching script (not yet loaded through this adapter)");
      return client.evalsha(mapped, keys.length, ...keys, ...args.map(arg));
    },
    async eval(script: string, keys: string[], args: unknown[]) {
      let s = scripts.get(script);
      if (!s) {
        const text = strip(script);
        s = { text, sha: sha1(text) };
        scripts.set(script, s);
        shaOf.set(sha1(script), s.sha);
      }
      const argv = args.map(arg);
      try {
        return await client.evalsha(s.sha, keys.length, ...keys, ...argv);
      } catch (err) {
        if (!String((err as Error)?.message).startsWith("NOSCRIPT")) throw err;
        return client.eval(s.text, keys.length, ...keys, ...argv);
      }
    },
  };
}

// Redis arguments are strings; the library passes numbers and, for unused slots, null.
const arg = (v: unknown) => (v === null || v === undefined ? "" : String(v));
