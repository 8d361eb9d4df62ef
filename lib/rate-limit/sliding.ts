/**
 * When @upstash/ratelimit's sliding window will next admit a request. Its `reset` is only the end of
 * the current fixed window, which under a sliding window is too early (the previous window still
 * counts, weighted by how much of it overlaps the last `windowMs`), so Retry-After is computed here
 * from the two counters, with the same arithmetic as its Lua script:
 *   admitted  <=>  current + floor((1 - p) * previous) < tokens,   p = elapsed fraction of the window,
 * and floor(x) < n <=> x < n for an integer n, so the first admitted millisecond is just past the bound.
 */
export function slidingWindowRetryAt(
  current: number,
  previous: number,
  tokens: number,
  windowMs: number,
  now: number,
): number {
  const windowStart = now - (now % windowMs);
  // later in this window, when the previous window's weight has dropped enough
  if (current < tokens) {
    if (previous <= 0) return now;
    const p = 1 - (tokens - current) / previous;
    return Math.max(now, Math.floor(windowStart + windowMs * p) + 1);
  }
  // otherwise in the next window, where this window's count becomes the weighted one
  const next = windowStart + windowMs;
  return Math.floor(next + windowMs * (1 - tokens / current)) + 1;
}
