import "server-only";
import { z } from "zod";
import { bucketHealthChecksSince, lastFailures } from "@/lib/db/queries/health-checks";
import { getEnv } from "@/lib/env";

const HOUR_MS = 3600 * 1000;

/** The two windows the tab shows: 24 hourly buckets, or 28 six-hour buckets over 7 days. */
export const WINDOWS = {
  "24h": { spanMs: 24 * HOUR_MS, bucketMs: HOUR_MS },
  "7d": { spanMs: 7 * 24 * HOUR_MS, bucketMs: 6 * HOUR_MS },
} as const;
export type HealthWindow = keyof typeof WINDOWS;

export const overviewQuerySchema = z.object({
  window: z.enum(["24h", "7d"], { error: "must be '24h' or '7d'" }).default("24h"),
});

export interface Bucket {
  healthy: number;
  degraded: number;
  unhealthy: number;
}

/**
 * Recent health of every key in one answer, for the uptime bars of the Provider Keys tab: checks per
 * bucket by outcome, the uptime over the window, and each key's last failure (within retention).
 * Buckets are aligned to whole bucket lengths, oldest first; the last one is the current, partial one.
 */
export async function getHealthOverview(window: HealthWindow, now = new Date()) {
  const { spanMs, bucketMs } = WINDOWS[window];
  const count = spanMs / bucketMs;
  const end = Math.floor(now.getTime() / bucketMs) * bucketMs + bucketMs;
  const since = new Date(end - spanMs);
  const [rows, failures] = await Promise.all([bucketHealthChecksSince(since, bucketMs), lastFailures()]);

  const byKey = new Map<string, Bucket[]>();
  for (const r of rows) {
    if (r.bucket < 0 || r.bucket >= count) continue;
    let buckets = byKey.get(r.providerKeyId);
    if (!buckets) byKey.set(r.providerKeyId, (buckets = Array.from({ length: count }, () => ({ healthy: 0, degraded: 0, unhealthy: 0 }))));
    buckets[r.bucket] = { healthy: r.healthy, degraded: r.degraded, unhealthy: r.unhealthy };
  }
  const failureOf = new Map(failures.map((f) => [f.providerKeyId, f]));
  const ids = new Set([...byKey.keys(), ...failureOf.keys()]);
  return {
    success: true as const,
    window,
    since: since.toISOString(),
    until: new Date(end).toISOString(),
    bucket_seconds: bucketMs / 1000,
    retention_days: getEnv().HEALTH_HISTORY_RETENTION_DAYS,
    keys: [...ids].map((id) => {
      const buckets = byKey.get(id) ?? [];
      const total = buckets.reduce((n, b) => n + b.healthy + b.degraded + b.unhealthy, 0);
      const healthy = buckets.reduce((n, b) => n + b.healthy, 0);
      const f = failureOf.get(id);
      return {
        provider_id: id,
        checks: total,
        uptime_pct: total ? Math.round((1000 * healthy) / total) / 10 : null,
        buckets,
        last_failure: f ? { checked_at: f.checkedAt.toISOString(), outcome: f.outcome, error_code: f.errorCode, status_code: f.statusCode } : null,
      };
    }),
  };
}
