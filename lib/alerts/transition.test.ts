import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { HealthStatus } from "@/lib/providers/health-status";
import { type AlertKind, type AlertRules, type AlertState, decideAlert, INITIAL_ALERT_STATE, QUIET, REMINDER_CAP_MS } from "./transition";

const MIN = 60_000;
const rules: AlertRules = { degradedAfterMs: 30 * MIN, reminderMs: 60 * MIN };

/** Feeds outcomes at the given minutes and returns the alerts raised, as "minute:kind". */
function run(steps: [number, HealthStatus][], r = rules, start: AlertState = INITIAL_ALERT_STATE): string[] {
  let state = start;
  const out: string[] = [];
  for (const [minute, outcome] of steps) {
    const { next, alert } = decideAlert(state, outcome, new Date(minute * MIN), r);
    state = next;
    if (alert) out.push(`${minute}:${alert}`);
  }
  return out;
}

describe("decideAlert", () => {
  it("alerts once when a key turns unhealthy and once when it recovers, not on every failure", () => {
    expect(run([[0, "healthy"], [15, "unhealthy"], [30, "unhealthy"], [45, "unhealthy"], [50, "healthy"], [65, "healthy"]])).toEqual([
      "15:key_unhealthy",
      "50:key_recovered",
    ]);
  });

  it("stays quiet for a healthy key and for checks with nothing to check", () => {
    expect(run([[0, "healthy"], [15, "unknown"], [30, "healthy"]])).toEqual([]);
  });

  it("alerts about a degraded key only once it has been degraded past the threshold", () => {
    expect(run([[0, "degraded"], [15, "degraded"], [29, "degraded"], [30, "degraded"], [45, "degraded"], [60, "healthy"]])).toEqual([
      "30:key_degraded",
      "60:key_recovered",
    ]);
  });

  it("starts the degraded clock again after a healthy check in between, and sends no recovery for an unannounced blip", () => {
    expect(run([[0, "degraded"], [20, "healthy"], [25, "degraded"], [50, "degraded"], [55, "degraded"]])).toEqual(["55:key_degraded"]);
  });

  it("a degraded threshold of 0 alerts on the first degraded check", () => {
    expect(run([[0, "degraded"]], { ...rules, degradedAfterMs: 0 })).toEqual(["0:key_degraded"]);
  });

  it("escalates a degraded key that turns unhealthy, and does not call a provider outage on a bad key a recovery", () => {
    expect(run([[0, "degraded"], [30, "degraded"], [40, "unhealthy"], [50, "degraded"], [60, "unhealthy"], [70, "healthy"]])).toEqual([
      "30:key_degraded",
      "40:key_unhealthy",
      "70:key_recovered",
    ]);
  });

  it("reminds while a key stays bad, on a doubling backoff", () => {
    const steps: [number, HealthStatus][] = [];
    for (let m = 0; m <= 8 * 60; m += 15) steps.push([m, "unhealthy"]);
    // alert at 0, reminders 60 min after it, then 120 after that, then 240
    expect(run(steps)).toEqual(["0:key_unhealthy", "60:key_still_unhealthy", "180:key_still_unhealthy", "420:key_still_unhealthy"]);
  });

  it("caps the reminder backoff at a day, and sends none when reminders are off", () => {
    const steps: [number, HealthStatus][] = [];
    for (let m = 0; m <= 4 * 24 * 60; m += 60) steps.push([m, "unhealthy"]);
    const alerts = run(steps, { ...rules, reminderMs: 8 * 60 * MIN });
    const gaps = alerts.map((a) => Number(a.split(":")[0])).map((m, i, all) => (i ? m - all[i - 1]! : 0));
    expect(gaps.slice(1)).toEqual([480, 960, 1440, 1440, 1440]);
    expect(Math.max(...gaps) * MIN).toBe(REMINDER_CAP_MS);
    expect(run(steps, { ...rules, reminderMs: 0 })).toEqual(["0:key_unhealthy"]);
  });

  it("reminds about a key that stays degraded as still degraded", () => {
    const kinds = run([[0, "degraded"], [30, "degraded"], [60, "degraded"], [90, "degraded"]]).map((a) => a.split(":")[1] as AlertKind);
    expect(kinds).toEqual(["key_degraded", "key_still_degraded"]);
  });

  it("resets the reminder count after a recovery", () => {
    const { next } = decideAlert({ alertState: "unhealthy", degradedSince: null, lastAlertAt: new Date(0), alertReminders: 5 }, "healthy", new Date(MIN), rules);
    expect(next).toMatchObject({ alertState: "none", alertReminders: 0, degradedSince: null });
  });
});

describe("QUIET", () => {
  const anyDate = fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true });
  const anyRules = fc.record({ degradedAfterMs: fc.nat(), reminderMs: fc.nat() });

  it("is what the one-statement writer may skip the row read for: decideAlert raises nothing and changes nothing", () => {
    fc.assert(
      fc.property(fc.option(anyDate, { nil: null }), fc.nat(50), anyDate, anyRules, (lastAlertAt, alertReminders, now, r) => {
        const prev: AlertState = { ...QUIET.state, lastAlertAt, alertReminders };
        expect(decideAlert(prev, QUIET.outcome, now, r)).toEqual({ next: prev, alert: null });
      }),
    );
  });

  it("is the only such case for a healthy check: out of the quiet state, the row must be read", () => {
    const now = new Date(60 * MIN);
    const degrading: AlertState = { ...INITIAL_ALERT_STATE, degradedSince: new Date(0) };
    expect(decideAlert(degrading, QUIET.outcome, now, rules).next).not.toEqual(degrading);
    for (const alertState of ["unhealthy", "degraded"] as const) {
      expect(decideAlert({ ...INITIAL_ALERT_STATE, alertState }, QUIET.outcome, now, rules).alert).toBe("key_recovered");
    }
  });
});
