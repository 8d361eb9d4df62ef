import { afterEach, describe, expect, it, vi } from "vitest";
import { VersionedCache } from "./cache";

describe("VersionedCache", () => {
  afterEach(() => vi.useRealTimers());

  it("serves an entry only under the token it was stored with", () => {
    const c = new VersionedCache<string>();
    c.set("k", "v1", "row");
    expect(c.get("k", "v1")).toBe("row");
    expect(c.get("k", "v2")).toBeUndefined();
    expect(c.get("k", null)).toBeUndefined();
  });

  it("stores nothing without a token", () => {
    const c = new VersionedCache<string>();
    c.set("k", null, "row");
    expect(c.get("k", "v1")).toBeUndefined();
  });

  it("drops entries past their age and keeps its size bounded", () => {
    vi.useFakeTimers();
    const c = new VersionedCache<number>(2, 1000);
    c.set("a", "v", 1);
    vi.advanceTimersByTime(1000);
    expect(c.get("a", "v")).toBeUndefined();
    c.set("b", "v", 2);
    c.set("c", "v", 3);
    c.set("d", "v", 4);
    const held = [c.get("b", "v"), c.get("c", "v"), c.get("d", "v")].filter((x) => x !== undefined);
    expect(held.length).toBeLessThanOrEqual(2);
    expect(held).toContain(4);
  });
});
