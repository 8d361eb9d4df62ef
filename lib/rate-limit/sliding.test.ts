import { describe, expect, it } from "vitest";
import { slidingWindowRetryAt } from "./sliding";

const W = 60_000;
// the admission rule of @upstash/ratelimit's sliding-window script
const admitted = (cur: number, prev: number, tokens: number, t: number) =>
  cur + Math.floor((1 - (t % W) / W) * prev) < tokens;

describe("slidingWindowRetryAt", () => {
  it("waits for the next window when the current one is full, then as long as the old count still weighs", () => {
    const now = 10 * W + 5_000; // 5 s into a window, 10 spent in it, nothing before
    const at = slidingWindowRetryAt(10, 0, 10, W, now);
    expect(at).toBe(11 * W + 1); // in the next window the 10 weigh (1 - p) * 10 < 10 as soon as p > 0
    expect(admitted(0, 10, 10, at)).toBe(true);
    expect(admitted(10, 0, 10, at - 2)).toBe(false); // still in the full window
  });

  it("finds the first admitted moment inside the current window", () => {
    const now = 10 * W + 1_000;
    const at = slidingWindowRetryAt(3, 10, 10, W, now); // 3 now, 10 in the previous window
    expect(admitted(3, 10, 10, at)).toBe(true);
    expect(admitted(3, 10, 10, at - 2)).toBe(false);
    expect(at - now).toBeGreaterThan(0);
    expect(at - now).toBeLessThan(W);
  });

  it("is never before now and agrees with the rule across many cases", () => {
    for (let cur = 0; cur <= 12; cur++) {
      for (let prev = 0; prev <= 12; prev++) {
        for (const offset of [0, 1, 29_999, 59_999]) {
          const now = 100 * W + offset;
          if (admitted(cur, prev, 10, now)) continue;
          const at = slidingWindowRetryAt(cur, prev, 10, W, now);
          expect(at).toBeGreaterThanOrEqual(now);
          // in the window `at` falls in, the counters have moved on if it is the next one
          const inNext = Math.floor(at / W) > Math.floor(now / W);
          expect(inNext ? admitted(0, cur, 10, at) : admitted(cur, prev, 10, at)).toBe(true);
        }
      }
    }
  });
});
