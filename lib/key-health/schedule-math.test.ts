import { describe, expect, it } from "vitest";
import { JITTER, jittered, jitterRange, MAX_BACKOFF_LEVEL, MAX_DELAY_MS, nextCheck, tickMsFor } from "./schedule-math";

const MIN = 60_000;
const ok = { success: true, error_code: null, retry_after_s: null } as const;
const limited = (retry: number | null = null) => ({ success: false, error_code: "rate_limited" as const, retry_after_s: retry });

describe("jittered interval", () => {
  it("stays within ±10% of the interval at the extremes of the random source", () => {
    expect(jittered(15 * MIN, () => 0)).toBe(Math.round(15 * MIN * (1 - JITTER)));
    expect(jittered(15 * MIN, () => 0.999999)).toBeLessThanOrEqual(Math.round(15 * MIN * (1 + JITTER)));
    expect(jittered(15 * MIN, () => 0.5)).toBe(15 * MIN);
  });

  it("gives SQL the same range to draw the first check from", () => {
    expect(jitterRange(15 * MIN)).toEqual({ minMs: jittered(15 * MIN, () => 0), maxMs: jittered(15 * MIN, () => 1) });
  });
});

describe("tickMsFor", () => {
  it("wakes up ten times an interval, between 1 and 30 seconds", () => {
    expect(tickMsFor(5_000)).toBe(1000);
    expect(tickMsFor(60_000)).toBe(6000);
    expect(tickMsFor(15 * MIN)).toBe(30_000);
  });
});

describe("nextCheck", () => {
  const mid = () => 0.5;
  it("checks a healthy or unhealthy key again one (jittered) interval later and resets the backoff", () => {
    expect(nextCheck(ok, 3, 15 * MIN, mid)).toEqual({ delayMs: 15 * MIN, backoffLevel: 0 });
    expect(nextCheck({ success: false, error_code: "invalid_key", retry_after_s: null }, 2, 15 * MIN, mid)).toEqual({ delayMs: 15 * MIN, backoffLevel: 0 });
  });

  it("doubles the delay per consecutive degraded check, capped", () => {
    const delays: number[] = [];
    let level = 0;
    for (let i = 0; i < 9; i++) {
      const n = nextCheck(i % 2 ? { success: false, error_code: "timeout", retry_after_s: null } : limited(), level, MIN, mid);
      delays.push(n.delayMs);
      level = n.backoffLevel;
    }
    expect(delays.slice(0, 6)).toEqual([2, 4, 8, 16, 32, 64].map((f) => f * MIN));
    expect(level).toBe(MAX_BACKOFF_LEVEL);
    expect(delays.at(-1)).toBe(2 ** MAX_BACKOFF_LEVEL * MIN);
    expect(nextCheck(limited(), MAX_BACKOFF_LEVEL, 60 * MIN, mid).delayMs).toBe(MAX_DELAY_MS);
  });

  it("never checks sooner than the provider's Retry-After", () => {
    expect(nextCheck(limited(3 * 3600), 0, MIN, mid).delayMs).toBe(3 * 3600 * 1000);
    expect(nextCheck(limited(5), 0, MIN, mid).delayMs).toBe(2 * MIN);
  });
});
