import { describe, expect, it } from "vitest";
import { describeBar, describeBucket, toneOf } from "./uptime";

const b = (healthy: number, degraded = 0, unhealthy = 0) => ({ healthy, degraded, unhealthy });

describe("uptime bar", () => {
  it("colours a bucket by its worst check", () => {
    expect([b(0), b(3), b(3, 1), b(3, 1, 1)].map(toneOf)).toEqual(["none", "ok", "warn", "bad"]);
  });

  it("describes buckets and the whole bar in words", () => {
    expect(describeBucket(b(0))).toBe("no checks");
    expect(describeBucket(b(1))).toBe("1 check: 1 healthy");
    expect(describeBucket(b(3, 0, 1))).toBe("4 checks: 3 healthy, 1 unhealthy");
    expect(describeBar("24h", null, [])).toBe("Uptime, last 24 hours: no checks");
    expect(describeBar("24h", 90, [b(4), b(3, 0, 1)])).toBe("Uptime, last 24 hours: 90% (1 hour with failures)");
    expect(describeBar("7d", 75, [b(1, 1), b(1, 1), b(2)])).toBe("Uptime, last 7 days: 75% (2 6-hour periods degraded)");
  });
});
