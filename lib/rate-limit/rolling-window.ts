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
  used = used + 1
  admitted = 1
elseif spend > 1 then
  while admitted < spend and used < tokens do
    admitted = admitted + 1
    redis.call('ZADD', key, now, ARGV[4] .. ':' .. admitted)
    used = used + 1
  end
end
if admitted > 0 then redis.call('PEXPIRE', key, window) end
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
  const run = async (ctx: Ctx, key: string, units: number, member: string) =>
    (await ctx.redis.eval(LIMIT_SCRIPT, [key], [windowMs, tokens, units, member])) as Result;
  return () => ({
    /** `rate` units (the library's name): as many as are left, up to it; admitted when at least one. */
    async limit(ctx: Ctx, identifier: string, rate = 1) {
      // the sorted-set member names this spend, so that it can be refunded (see limiter.ts); several
      // units are `<member>:1`, `<member>:2`, …
      const spend = randomUUID();
      const units = Math.max(1, Math.floor(rate));
      const [admitted, remaining, reset] = await run(ctx, identifier, units, spend);
      const spends = units === 1 ? (admitted === 1 ? [spend] : []) : Array.from({ length: admitted }, (_, i) => `${spend}:${i + 1}`);
      return {
        success: admitted > 0,
        limit: tokens,
        remaining: Math.max(0, remaining),
        reset,
        pending: Promise.resolve(),
        spend: spends[0],
        ...(units > 1 ? { spends } : {}),
      };
    },
    async getRemaining(ctx: Ctx, identifier: string) {
      const [, remaining, reset] = await run(ctx, identifier, 0, "");
      return { remaining: Math.max(0, remaining), reset, limit: tokens };
    },
    async resetTokens() {},
  });
}
