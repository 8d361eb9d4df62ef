import "server-only";
import { HeldUnits } from "./held-unit";
import type { Limiter, LimitResult } from "./limiter";
import { redisLimiter } from "./limiter";
import { MemoryLimiter, type Spend } from "./memory";
import { getRedis, onRedisClose } from "./redis";

const g = globalThis as unknown as { __llmhubRpmLimiters?: Map<number, Limiter>; __llmhubRpmSpends?: Map<string, Spend[]>; __llmhubHeldUnits?: HeldUnits };

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

/**
 * Spends one unit of a hub key's `rpm_limit` for a request of it (gateway calls and the hub's own
 * endpoints alike: one count per key), taking the unit this process spent ahead for the key when it
 * holds one (held-unit.ts). Rejects with a 503 AppError when Redis is down.
 */
export function spendRpmUnit(keyId: string, rpm: number): Promise<LimitResult> {
  if (!g.__llmhubHeldUnits) {
    const held = new HeldUnits(getRpmLimiter);
    g.__llmhubHeldUnits = held;
    if (getRedis()) {
      onRedisClose(async () => {
        if (g.__llmhubHeldUnits === held) g.__llmhubHeldUnits = undefined;
        await held.release();
      });
    }
  }
  return g.__llmhubHeldUnits.spend(keyId, rpm);
}

/** The refusal's text for a key over its `rpm_limit`, the same on the gateway and on the hub's own API. */
export const rpmRefusal = (rpm: number) => `This hub key is limited to ${rpm} requests per minute`;
