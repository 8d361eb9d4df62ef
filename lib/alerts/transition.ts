import type { HealthStatus } from "@/lib/providers/health-status";

export type AlertKind = "key_unhealthy" | "key_degraded" | "key_recovered" | "key_still_unhealthy" | "key_still_degraded";

/** What admins have been told about one key (columns of provider_keys). */
export interface AlertState {
  alertState: "none" | "unhealthy" | "degraded";
  degradedSince: Date | null;
  lastAlertAt: Date | null;
  alertReminders: number;
}

export interface AlertRules {
  /** A degraded run this long raises `key_degraded`. */
  degradedAfterMs: number;
  /** First reminder this long after the alert; each next one waits twice as long (capped). 0 = none. */
  reminderMs: number;
}

export const REMINDER_CAP_MS = 24 * 3600 * 1000;

export const INITIAL_ALERT_STATE: AlertState = { alertState: "none", degradedSince: null, lastAlertAt: null, alertReminders: 0 };

/**
 * "Can this check raise an alert?", answered once: a check with the QUIET outcome, of a key in the
 * QUIET state (nobody was alerted, no degraded run under way), cannot. decideAlert then leaves the
 * state exactly as it was (transition.test.ts holds the two together), so the key-check writer may
 * record such a check in one statement without reading the row first (lib/db/queries/key-checks.ts
 * builds its SQL condition from this).
 */
export const QUIET = { outcome: "healthy", state: { alertState: "none", degradedSince: null } } as const satisfies {
  outcome: HealthStatus;
  state: Pick<AlertState, "alertState" | "degradedSince">;
};

/** How long after the last alert the next reminder is due (reminderMs, 2x, 4x, ... up to a day). */
export function reminderDelayMs(rules: AlertRules, remindersSoFar: number): number | null {
  if (rules.reminderMs <= 0) return null;
  return Math.min(REMINDER_CAP_MS, rules.reminderMs * 2 ** Math.min(remindersSoFar, 20));
}

/**
 * The alert rule, pure: alert on transitions, not on every failure. A key that turns unhealthy
 * alerts once; one that stays degraded past the threshold alerts once; one that was alerted about
 * and is healthy again alerts once (recovered). While it stays bad, reminders follow on a backoff.
 * An `unknown` outcome (nothing to check) changes nothing.
 */
export function decideAlert(prev: AlertState, outcome: HealthStatus, now: Date, rules: AlertRules): { next: AlertState; alert: AlertKind | null } {
  const t = now.getTime();
  const fresh = (alertState: AlertState["alertState"], degradedSince: Date | null): AlertState => ({ alertState, degradedSince, lastAlertAt: now, alertReminders: 0 });
  const reminderDue = () => {
    const delay = reminderDelayMs(rules, prev.alertReminders);
    return delay !== null && prev.lastAlertAt !== null && t - prev.lastAlertAt.getTime() >= delay;
  };
  const remind = (kind: AlertKind, degradedSince: Date | null) => ({
    next: { ...prev, degradedSince, lastAlertAt: now, alertReminders: prev.alertReminders + 1 },
    alert: kind,
  });

  switch (outcome) {
    case "healthy":
      if (prev.alertState !== "none") return { next: { ...INITIAL_ALERT_STATE, lastAlertAt: now }, alert: "key_recovered" };
      return { next: { ...prev, degradedSince: null }, alert: null };
    case "unhealthy":
      if (prev.alertState !== "unhealthy") return { next: fresh("unhealthy", null), alert: "key_unhealthy" };
      return reminderDue() ? remind("key_still_unhealthy", null) : { next: { ...prev, degradedSince: null }, alert: null };
    case "degraded": {
      const since = prev.degradedSince ?? now;
      // a key known to be bad that now only gets a provider outage has not recovered: stay quiet
      if (prev.alertState === "unhealthy") return { next: { ...prev, degradedSince: since }, alert: null };
      if (prev.alertState === "degraded") return reminderDue() ? remind("key_still_degraded", since) : { next: { ...prev, degradedSince: since }, alert: null };
      if (t - since.getTime() >= rules.degradedAfterMs) return { next: fresh("degraded", since), alert: "key_degraded" };
      return { next: { ...prev, degradedSince: since }, alert: null };
    }
    default:
      return { next: prev, alert: null };
  }
}
