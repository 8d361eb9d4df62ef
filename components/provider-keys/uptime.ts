/** Pure helpers for the uptime bar (shared by the component and its unit test). */
export interface Bucket {
  healthy: number;
  degraded: number;
  unhealthy: number;
}

export type Tone = "ok" | "warn" | "bad" | "none";

/** A bucket is as bad as its worst check; one with no checks is "none". */
export function toneOf(b: Bucket): Tone {
  if (b.unhealthy > 0) return "bad";
  if (b.degraded > 0) return "warn";
  if (b.healthy > 0) return "ok";
  return "none";
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** "4 checks: 3 healthy, 1 unhealthy" / "no checks". */
export function describeBucket(b: Bucket): string {
  const total = b.healthy + b.degraded + b.unhealthy;
  if (!total) return "no checks";
  const parts = [b.healthy && `${b.healthy} healthy`, b.degraded && `${b.degraded} degraded`, b.unhealthy && `${b.unhealthy} unhealthy`].filter(Boolean);
  return `${plural(total, "check")}: ${parts.join(", ")}`;
}

/** What a screen reader hears for the whole bar. */
export function describeBar(window: "24h" | "7d", uptimePct: number | null, buckets: Bucket[]): string {
  const span = window === "24h" ? "last 24 hours" : "last 7 days";
  if (uptimePct === null) return `Uptime, ${span}: no checks`;
  const bad = buckets.filter((b) => toneOf(b) === "bad").length;
  const warn = buckets.filter((b) => toneOf(b) === "warn").length;
  const unit = window === "24h" ? "hour" : "6-hour period";
  const extra = [bad && `${plural(bad, unit)} with failures`, warn && `${plural(warn, unit)} degraded`].filter(Boolean).join(", ");
  return `Uptime, ${span}: ${uptimePct}%${extra ? ` (${extra})` : ""}`;
}

/** Short words for an error code in "Last failure". */
export const FAILURE_WORDS: Readonly<Record<string, string>> = {
  invalid_key: "invalid key",
  forbidden: "permission denied",
  no_credits: "out of credits",
  rate_limited: "rate limited by the provider",
  provider_error: "provider error",
  timeout: "timed out",
  unreachable: "provider unreachable",
  bad_base_url: "base URL refused",
  not_configured: "no key",
};
