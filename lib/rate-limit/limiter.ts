import "server-only";
import { Ratelimit } from "@upstash/ratelimit";
import { AppError, REDIS_UNAVAILABLE } from "@/lib/errors";
import { getEnv } from "@/lib/env";
import { MemoryLimiter } from "./memory";
import { getRedis, upstashAdapter } from "./redis";
import { slidingWindowRetryAt } from "./sliding";

export interface LimitResult {
  success: boolean;
  limit: number;
  remaining: number;
  /** Unix ms when the budget is next fully usable. */
  reset: number;
}

export interface Limiter {
  /** Spends one unit. */
  limit(id: string): Promise<LimitResult>;
  /** Reads what is left without spending. */
  peek(id: string): Promise<LimitResult>;
}

interface Rule {
  tokens: number;
  windowSeconds: number;
}

export type LimitName = "key-test" | "login-account" | "login-ip";

function rules(): Record<LimitName, Rule> {
  return {
    "key-test": { tokens: getEnv().KEY_TESTS_PER_MINUTE, windowSeconds: 60 },
    // Sign-in limits count failed attempts only (see lib/auth/login.ts).
    "login-account": { tokens: 10, windowSeconds: 15 * 60 },
    "login-ip": { tokens: 50, windowSeconds: 15 * 60 },
  };
}

const g = globalThis as unknown as { __llmhubLimiters?: Map<LimitName, Limiter> };

/** The named limiter: Redis-backed (shared by every instance) when REDIS_URL is set, else in-process. */
export function getLimiter(name: LimitName): Limiter {
  g.__llmhubLimiters ??= new Map();
  let limiter = g.__llmhubLimiters.get(name);
  if (!limiter) {
    const rule = rules()[name];
    const redis = getRedis();
    limiter = redis ? redisLimiter(name, rule, redis) : new MemoryLimiter(rule.tokens, rule.windowSeconds * 1000);
    g.__llmhubLimiters.set(name, limiter);
  }
  return limiter;
}

export const limiterBackend = () => (getRedis() ? "redis" : "memory");

function redisLimiter(name: LimitName, rule: Rule, redis: NonNullable<ReturnType<typeof getRedis>>): Limiter {
  const rl = new Ratelimit({
    redis: upstashAdapter(redis) as never,
    limiter: Ratelimit.slidingWindow(rule.tokens, `${rule.windowSeconds} s`),
    prefix: `llmhub:rl:${name}`,
    // Fail closed: no timeout that would let a request through, no per-process cache.
    timeout: 0,
    ephemeralCache: false,
    analytics: false,
    enableProtection: false,
    enableTelemetry: false,
  });
  const unavailable = () => new AppError(503, "unavailable", REDIS_UNAVAILABLE, { "Retry-After": "5" });
  const windowMs = rule.windowSeconds * 1000;
  /** On a refusal, when the sliding window really admits again (its own `reset` is too early). */
  const retryAt = async (id: string): Promise<number> => {
    const now = Date.now();
    const w = Math.floor(now / windowMs);
    const [cur, prev] = await redis.mget(`llmhub:rl:${name}:${id}:${w}`, `llmhub:rl:${name}:${id}:${w - 1}`);
    return slidingWindowRetryAt(Number(cur ?? 0), Number(prev ?? 0), rule.tokens, windowMs, now);
  };
  return {
    async limit(id) {
      try {
        const r = await rl.limit(id);
        const reset = r.success ? r.reset : await retryAt(id);
        return { success: r.success, limit: r.limit, remaining: Math.max(0, r.remaining), reset };
      } catch {
        throw unavailable();
      }
    },
    async peek(id) {
      try {
        const r = await rl.getRemaining(id);
        const success = r.remaining > 0;
        return { success, limit: rule.tokens, remaining: Math.max(0, r.remaining), reset: success ? r.reset : await retryAt(id) };
      } catch {
        throw unavailable();
      }
    },
  };
}

/** The contract's headers for a limit result; `Retry-After` only when refused. */
export function rateLimitHeaders(r: LimitResult, now = Date.now()): Record<string, string> {
  const resetSeconds = Math.max(1, Math.ceil((r.reset - now) / 1000));
  const headers: Record<string, string> = {
    "X-RateLimit-Limit": String(r.limit),
    "X-RateLimit-Remaining": String(r.remaining),
    "X-RateLimit-Reset": String(Math.ceil(r.reset / 1000)),
  };
  if (!r.success) headers["Retry-After"] = String(resetSeconds);
  return headers;
}
