import "server-only";
import { z } from "zod";
import { listHealthChecksSince, summarizeHealthChecksSince } from "@/lib/db/queries/health-checks";
import { getEnv } from "@/lib/env";
import { badRequest } from "@/lib/errors";
import { findRowOr404 } from "@/lib/provider-keys/queries";

const MAX_CHECKS = 1000;
const DAY_MS = 24 * 3600 * 1000;

export const healthQuerySchema = z.object({
  since: z.iso
    .datetime({ offset: true, error: "must be an ISO 8601 time, e.g. 2026-11-25T00:00:00Z" })
    .optional(),
});

/**
 * A key's health history for a window (default: the last 24 hours, at most the retention period):
 * the checks, newest first (up to 1,000), uptime (share of healthy checks) and latency percentiles.
 */
export async function getKeyHealth(id: string, sinceRaw: string | undefined, now = new Date()) {
  const row = await findRowOr404(id);
  const retentionDays = getEnv().HEALTH_HISTORY_RETENTION_DAYS;
  const since = sinceRaw ? new Date(sinceRaw) : new Date(now.getTime() - DAY_MS);
  if (since.getTime() > now.getTime()) throw badRequest("since: must not be in the future");
  const earliest = new Date(now.getTime() - retentionDays * DAY_MS);
  const from = since < earliest ? earliest : since;

  const [checks, s] = await Promise.all([listHealthChecksSince(row.id, from, MAX_CHECKS + 1), summarizeHealthChecksSince(row.id, from)]);
  return {
    success: true as const,
    provider_id: row.id,
    name: row.name,
    health_status: row.healthStatus,
    since: from.toISOString(),
    until: now.toISOString(),
    retention_days: retentionDays,
    summary: {
      checks: s.total,
      healthy: s.healthy,
      degraded: s.degraded,
      unhealthy: s.unhealthy,
      uptime_pct: s.total ? Math.round((1000 * s.healthy) / s.total) / 10 : null,
      latency_ms: { p50: s.p50, p95: s.p95, p99: s.p99 },
    },
    truncated: checks.length > MAX_CHECKS,
    checks: checks.slice(0, MAX_CHECKS).map((c) => ({
      checked_at: c.checkedAt.toISOString(),
      trigger: c.trigger,
      outcome: c.outcome,
      error_code: c.errorCode,
      status_code: c.statusCode,
      latency_ms: c.latencyMs,
      models_found: c.modelsFound,
      credits: c.credits ?? null,
    })),
  };
}
