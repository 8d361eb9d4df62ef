import { describe, expect, it } from "vitest";
import { monthOf, nextMonthStart, secondsUntilNextMonth } from "./month";

describe("monthOf", () => {
  it("names the UTC month of each instant, across month and year ends, in any order", () => {
    const cases: [string, string][] = [
      ["2026-01-31T23:59:59.999Z", "2026-01-01"],
      ["2026-02-01T00:00:00.000Z", "2026-02-01"],
      ["2026-01-15T12:00:00.000Z", "2026-01-01"],
      ["2026-12-31T23:59:59.999Z", "2026-12-01"],
      ["2027-01-01T00:00:00.000Z", "2027-01-01"],
      ["2026-12-01T00:00:00.000Z", "2026-12-01"],
      ["2026-11-30T23:59:59.999Z", "2026-11-01"],
      ["2024-02-29T10:00:00.000Z", "2024-02-01"],
    ];
    // twice over: the second pass answers from the month kept by the one before
    for (let pass = 0; pass < 2; pass++) {
      for (const [at, month] of cases) {
        expect(monthOf(new Date(at)), at).toBe(month);
        expect(monthOf(new Date(at)), `${at} again`).toBe(month);
      }
    }
  });

  it("keeps an invalid date's answer to itself", () => {
    expect(monthOf(new Date("2026-03-10T00:00:00Z"))).toBe("2026-03-01");
    expect(monthOf(new Date(Number.NaN))).toBe("NaN-NaN-01");
    expect(monthOf(new Date("2026-03-10T00:00:00Z"))).toBe("2026-03-01");
  });

  it("the next month's start and the seconds to it", () => {
    expect(nextMonthStart(new Date("2026-12-15T00:00:00Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(secondsUntilNextMonth(new Date("2026-12-31T23:59:59.500Z"))).toBe(1);
  });
});
