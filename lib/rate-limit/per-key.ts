import "server-only";
import type { Limiter } from "./limiter";
import { redisLimiter } from "./limiter";
import { MemoryLimiter, type Spend } from "./memory";
import { getRedis } from "./redis";

const g = globalThis as unknown as { __llmhubRpmLimiters?: Map<number, Limiter>; __llmhubRpmSpends?: Map<string, Spend[]> };

/**
 * The limiter for a hub key's `rpm_limit` (gateway.md section 5): the same exact rolling minute as
 * the key-test limit, shared by every instance through Redis (failing closed with a 503 when Redis
 * is down), or in-process without REDIS_URL. One limiter per distinct limit; ids are hub key ids.
 */
export function getRpmLimiter(rpm: number): Limiter {
  g.__llmhubRpmLimiters ??= new Map();
  let limiter = g.__llmhubRpmLimiters.get(rpm);
  if (!limiter) {
    const redis = getRedis();
    const rule = { tokens: rpm, windowSeconds: 60 };
    // one count per key whatever its limit (Redis: one key per id under the one prefix)
    limiter = redis ? redisLimiter("gateway-rpm", rule, redis) : new MemoryLimiter(rule.tokens, rule.windowSeconds * 1000, (g.__llmhubRpmSpends ??= new Map()));
    g.__llmhubRpmLimiters.set(rpm, limiter);
  }
  return limiter;
}

/** The refusal's text for a key over its `rpm_limit`, the same on the gateway and on the hub's own API. */
export const rpmRefusal = (rpm: number) => `This hub key is limited to ${rpm} requests per minute`;
