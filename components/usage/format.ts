/** Number formats of the Usage tab (the browser's locale). */
const int = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const compactFmt = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });

export const formatInt = (n: number) => int.format(n);
export const formatCompact = (n: number) => compactFmt.format(n);

export function formatUsd(n: number): string {
  if (n === 0) return "$0";
  if (n < 0.01) return `$${n.toPrecision(2)}`;
  return new Intl.NumberFormat(undefined, { style: "currency", currency: "USD", maximumFractionDigits: n < 100 ? 2 : 0 }).format(n);
}

export const formatPercent = (ratio: number | null) => (ratio === null ? "—" : `${(ratio * 100).toFixed(ratio > 0 && ratio < 0.001 ? 2 : 1)}%`);

export const formatMs = (ms: number | null) => (ms === null ? "—" : ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s` : `${Math.round(ms)} ms`);

/** A bucket's label: the hour in local time ("Dec 1, 14:00") or the UTC day ("Dec 1"). */
export function bucketLabel(iso: string, interval: "hour" | "day", short = false): string {
  const d = new Date(iso);
  if (interval === "day") return d.toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC", ...(short ? {} : { year: "numeric" }) });
  const time = d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  return short ? time : `${d.toLocaleDateString(undefined, { month: "short", day: "numeric" })}, ${time}`;
}

export function metricValue(metric: "requests" | "tokens" | "cost", n: number, compact = false): string {
  if (metric === "cost") return formatUsd(n);
  return compact ? formatCompact(n) : formatInt(n);
}
