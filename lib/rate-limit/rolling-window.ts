import { randomUUID } from "node:crypto";

/**
 * An exact rolling window as an @upstash/ratelimit algorithm. The library's own `slidingWindow`
 * approximates (it weighs the previous fixed window), which admits an 11th request of a burst of
 * ten just after a window boundary; docs/api.md ("Rate limits") says the windows roll. This keeps one
 * sorted set per id of the spends in the last window, on Redis's own clock (one clock for every
 * instance), and is run through the library's Redis context like its built-in algorithms.
 */
const LIMIT_SCRIPT = `
local key = KEYS[1]
local window = tonumber(ARGV[1])
local tokens = tonumber(ARGV[2])
local spend = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local used = redis.call('ZCARD', key)
local admitted = 0
if spend == 1 and used < tokens then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, window)
  used = used + 1
  admitted = 1
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local reset = now
if oldest[2] then reset = tonumber(oldest[2]) + window end
return {admitted, tokens - used, reset}
`;

interface Ctx {
  redis: { eval: (script: string, keys: string[], args: unknown[]) => Promise<unknown> };
}

type Result = [number, number, number];

export function rollingWindow(tokens: number, windowMs: number) {
  const run = async (ctx: Ctx, key: string, spend: boolean, member: string) =>
    (await ctx.redis.eval(LIMIT_SCRIPT, [key], [windowMs, tokens, spend ? 1 : 0, member])) as Result;
  return () => ({
    async limit(ctx: Ctx, identifier: string) {
      // the sorted-set member names this spend, so that it can be refunded (see limiter.ts)
      const spend = randomUUID();
      const [admitted, remaining, reset] = await run(ctx, identifier, true, spend);
      return { success: admitted === 1, limit: tokens, remaining: Math.max(0, remaining), reset, pending: Promise.resolve(), spend: admitted === 1 ? spend : undefined };
    },
    async getRemaining(ctx: Ctx, identifier: string) {
      const [, remaining, reset] = await run(ctx, identifier, false, "");
      return { remaining: Math.max(0, remaining), reset, limit: tokens };
    },
    async resetTokens() {},
  });
}
