import { describe, expect, it } from "vitest";
import { MemoryLimiter } from "./memory";

describe("MemoryLimiter", () => {
  it("admits at most the limit of a burst of concurrent spends", async () => {
    const limiter = new MemoryLimiter(10, 60_000);
    const results = await Promise.all(Array.from({ length: 40 }, () => limiter.limit("a")));
    expect(results.filter((r) => r.success)).toHaveLength(10);
    expect(results.filter((r) => r.success).every((r) => typeof r.spend === "string")).toBe(true);
    expect(results.filter((r) => !r.success).every((r) => r.spend === undefined)).toBe(true);
  });

  it("gives a refunded unit back, once", async () => {
    const limiter = new MemoryLimiter(2, 60_000);
    const first = await limiter.limit("a");
    await limiter.limit("a");
    expect((await limiter.limit("a")).success).toBe(false);
    await limiter.refund("a", first.spend!);
    await limiter.refund("a", first.spend!); // the same spend again: at most its own unit comes back
    expect((await limiter.limit("a")).success).toBe(true);
    expect((await limiter.limit("a")).success).toBe(false);
    expect((await limiter.limit("b")).success).toBe(true);
  });
});
