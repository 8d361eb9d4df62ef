import "server-only";
import { Ratelimit } from "@upstash/ratelimit";
import { AppError, REDIS_UNAVAILABLE } from "@/lib/errors";
import { getEnv } from "@/lib/env";
import { MemoryLimiter } from "./memory";
import { getRedis, upstashAdapter } from "./redis";
import { rollingWindow } from "./rolling-window";
import type { Limiter } from "./types";

export type { Limiter, LimitResult } from "./types";

export interface Rule {
  tokens: number;
  windowSeconds: number;
}

export type LimitName = "key-test" | "webhook-test" | "login-account" | "login-ip" | "password-change";

function rules(): Record<LimitName, Rule> {
  return {
    "key-test": { tokens: getEnv().KEY_TESTS_PER_MINUTE, windowSeconds: 60 },
    "webhook-test": { tokens: 10, windowSeconds: 60 },
    // Sign-in limits count failed attempts only: a successful sign-in refunds its units (lib/auth/login.ts).
    "login-account": { tokens: 10, windowSeconds: 15 * 60 },
    "login-ip": { tokens: 50, windowSeconds: 15 * 60 },
    // like login-account, per signed-in user: a stolen session cannot guess the password quickly
    "password-change": { tokens: 10, windowSeconds: 15 * 60 },
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

export function redisLimiter(name: string, rule: Rule, redis: NonNullable<ReturnType<typeof getRedis>>): Limiter {
  const prefix = `llmhub:rl:${name}`;
  const rl = new Ratelimit({
    redis: upstashAdapter(redis) as never,
    limiter: rollingWindow(rule.tokens, rule.windowSeconds * 1000) as never,
    prefix,
    // Fail closed: no timeout that would let a request through, no per-process cache.
    timeout: 0,
    ephemeralCache: false,
    analytics: false,
    enableProtection: false,
    enableTelemetry: false,
  });
  const unavailable = () => new AppError("unavailable", REDIS_UNAVAILABLE, { retryAfterSeconds: 5 });
  return {
    async limit(id, units = 1) {
      try {
        const r = (await rl.limit(id, units > 1 ? { rate: units } : undefined)) as Awaited<ReturnType<typeof rl.limit>> & { spend?: string; spends?: string[] };
        return { success: r.success, limit: r.limit, remaining: Math.max(0, r.remaining), reset: r.reset, spend: r.spend, ...(r.spends ? { spends: r.spends } : {}) };
      } catch {
        throw unavailable();
      }
    },
    async refund(id, spend) {
      try {
        // the sorted set of spends that rollingWindow keeps, under the library's key for this id
        await redis.zrem(`${prefix}:${id}`, spend);
      } catch {
        throw unavailable();
      }
    },
  };
}
