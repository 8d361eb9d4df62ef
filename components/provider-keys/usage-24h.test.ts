import { describe, expect, it } from "vitest";
import { hourlyValues } from "./usage-24h";

describe("a card's last 24 hours", () => {
  it("puts each hour's requests in its place, empty hours as 0, and ignores hours outside", () => {
    const from = "2026-12-01T00:00:00.000Z";
    const v = hourlyValues(
      [
        { t: "2026-11-30T23:00:00.000Z", requests: 99 },
        { t: "2026-12-01T00:00:00.000Z", requests: 3 },
        { t: "2026-12-01T05:00:00.000Z", requests: 2 },
        { t: "2026-12-01T23:00:00.000Z", requests: 7 },
        { t: "2026-12-02T00:00:00.000Z", requests: 50 },
      ],
      from,
    );
    expect(v).toHaveLength(24);
    expect([v[0], v[5], v[23]]).toEqual([3, 2, 7]);
    expect(v.reduce((a, n) => a + n, 0)).toBe(12);
  });
});
