import { describe, expect, it } from "vitest";
import { creditLevelOf } from "@/lib/providers/credits";
import { type CreditAlertState, type CreditLevel, creditMessage, creditQuietState, decideCreditAlert } from "./credit";

/** Feeds levels in order and returns the alerts raised, as "step:kind". */
function run(levels: CreditLevel[], start: CreditAlertState = "none"): string[] {
  let state = start;
  const out: string[] = [];
  levels.forEach((level, i) => {
    const { next, alert } = decideCreditAlert(state, level);
    state = next;
    if (alert) out.push(`${i}:${alert}`);
  });
  return out;
}

describe("decideCreditAlert", () => {
  it("alerts once when credit falls under the threshold and once when it is back", () => {
    expect(run(["ok", "low", "low", null, "low", "ok", "ok", "low"])).toEqual(["1:key_low_credit", "5:key_credit_recovered", "7:key_low_credit"]);
  });

  it("a check that says nothing about credit changes nothing", () => {
    expect(decideCreditAlert("low", null)).toEqual({ next: "low", alert: null });
    expect(decideCreditAlert("none", null)).toEqual({ next: "none", alert: null });
  });

  it("the quiet state is exactly where a check raises nothing and keeps the state", () => {
    for (const level of ["low", "ok", null] as CreditLevel[]) {
      for (const prev of ["none", "low"] as CreditAlertState[]) {
        const quiet = creditQuietState(level);
        const d = decideCreditAlert(prev, level);
        expect(d.alert === null && d.next === prev).toBe(quiet === null || quiet === prev);
      }
    }
  });
});

describe("creditLevelOf", () => {
  const c = (limit: number | null, remaining: number | null) => ({ usage: 1, limit, limit_remaining: remaining, limit_reset: null });
  it("is low only for a capped key with less than the threshold left", () => {
    expect(creditLevelOf(c(10, 4.99), 5)).toBe("low");
    expect(creditLevelOf(c(10, 5), 5)).toBe("ok");
    expect(creditLevelOf(c(null, null), 5)).toBe("ok");
    expect(creditLevelOf(null, 5)).toBeNull();
    expect(creditLevelOf(undefined, 5)).toBeNull();
  });
});

describe("creditMessage", () => {
  it("is built from the name and the figures", () => {
    const credits = { usage: 6.8, limit: 10, limit_remaining: 3.2, limit_reset: "monthly" };
    expect(creditMessage("key_low_credit", "OpenRouter", credits, 5)).toBe("OpenRouter: credit is low - $3.20 credit left of $10.00 (monthly limit), under the $5.00 alert threshold");
    expect(creditMessage("key_credit_recovered", "OpenRouter", { ...credits, limit: null, limit_remaining: null }, 5)).toBe("OpenRouter: credit is back above $5.00 - no limit");
  });
});
