import type { LimitState } from "@/lib/errors";

/** Seconds until a refused limit admits again (at least 1). */
export function secondsUntilReset(r: LimitState, now = Date.now()): number {
  return Math.max(1, Math.ceil((r.reset - now) / 1000));
}

/** The headers of an answer that spent (or was refused) a unit of a budget; `Retry-After` only when refused. */
export function rateLimitHeaders(r: LimitState, now = Date.now()): Record<string, string> {
  const headers: Record<string, string> = {
    "X-RateLimit-Limit": String(r.limit),
    "X-RateLimit-Remaining": String(r.remaining),
    "X-RateLimit-Reset": String(Math.ceil(r.reset / 1000)),
  };
  if (!r.success) headers["Retry-After"] = String(secondsUntilReset(r, now));
  return headers;
}
