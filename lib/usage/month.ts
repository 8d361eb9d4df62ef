/** Calendar months in UTC, as budgets count them. */

/** The month monthOf answered last, and the instants it holds: every gateway request asks for it. */
let last = { from: 0, until: -1, month: "" };

/** The first day of `now`'s UTC month, `YYYY-MM-01`. */
export function monthOf(now: Date): string {
  const t = now.getTime();
  if (t >= last.from && t < last.until) return last.month;
  const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}-01`;
  if (Number.isFinite(t)) last = { from: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1), until: nextMonthStart(now).getTime(), month };
  return month;
}

/** The instant the next UTC month starts. */
export function nextMonthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}

/** Whole seconds until the next UTC month starts (at least 1): a Retry-After for an exhausted budget. */
export function secondsUntilNextMonth(now: Date): number {
  return Math.max(1, Math.ceil((nextMonthStart(now).getTime() - now.getTime()) / 1000));
}
