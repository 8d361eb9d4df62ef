import "server-only";
import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import { getDb } from "../client";
import { rowsOf } from "../rows";
import { healthChecks, type HealthCheck } from "../schema";


/** The newest checks of one key since a time, newest first. */
export async function listHealthChecksSince(providerKeyId: string, since: Date, limit: number): Promise<HealthCheck[]> {
  const db = await getDb();
  return db
    .select()
    .from(healthChecks)
    .where(and(eq(healthChecks.providerKeyId, providerKeyId), gte(healthChecks.checkedAt, since)))
    .orderBy(desc(healthChecks.checkedAt), desc(healthChecks.id))
    .limit(limit);
}

export interface HealthSummaryRow {
  total: number;
  healthy: number;
  degraded: number;
  unhealthy: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Counts by outcome and latency percentiles (of checks that got an answer) over the window. */
export async function summarizeHealthChecksSince(providerKeyId: string, since: Date): Promise<HealthSummaryRow> {
  const db = await getDb();
  const [row] = await db
    .select({
      total: sql<number>`count(*)::int`,
      healthy: sql<number>`(count(*) filter (where ${healthChecks.outcome} = 'healthy'))::int`,
      degraded: sql<number>`(count(*) filter (where ${healthChecks.outcome} = 'degraded'))::int`,
      unhealthy: sql<number>`(count(*) filter (where ${healthChecks.outcome} = 'unhealthy'))::int`,
      p50: sql<number | null>`percentile_disc(0.5) within group (order by ${healthChecks.latencyMs})`,
      p95: sql<number | null>`percentile_disc(0.95) within group (order by ${healthChecks.latencyMs})`,
      p99: sql<number | null>`percentile_disc(0.99) within group (order by ${healthChecks.latencyMs})`,
    })
    .from(healthChecks)
    .where(and(eq(healthChecks.providerKeyId, providerKeyId), gte(healthChecks.checkedAt, since)));
  return row ?? { total: 0, healthy: 0, degraded: 0, unhealthy: 0, p50: null, p95: null, p99: null };
}

/** Retention: removes checks older than the cut-off; returns how many went. */
export async function deleteHealthChecksBefore(cutoff: Date): Promise<number> {
  const db = await getDb();
  const rows = await db.delete(healthChecks).where(lt(healthChecks.checkedAt, cutoff)).returning({ id: healthChecks.id });
  return rows.length;
}

export interface BucketRow {
  providerKeyId: string;
  bucket: number;
  healthy: number;
  degraded: number;
  unhealthy: number;
}

/** Checks of every key since a time, counted by outcome per bucket of `bucketMs` (bucket 0 starts at `since`). */
export async function bucketHealthChecksSince(since: Date, bucketMs: number): Promise<BucketRow[]> {
  const db = await getDb();
  const rows = await db.execute(sql`
    select provider_key_id, floor(extract(epoch from (checked_at - ${since.toISOString()}::timestamptz)) * 1000 / ${bucketMs})::int as bucket,
      (count(*) filter (where outcome = 'healthy'))::int as healthy,
      (count(*) filter (where outcome = 'degraded'))::int as degraded,
      (count(*) filter (where outcome = 'unhealthy'))::int as unhealthy
    from health_checks where checked_at >= ${since.toISOString()}::timestamptz
    group by 1, 2`);
  return rowsOf<Record<string, unknown>>(rows).map((r) => ({
    providerKeyId: r.provider_key_id as string,
    bucket: Number(r.bucket),
    healthy: Number(r.healthy),
    degraded: Number(r.degraded),
    unhealthy: Number(r.unhealthy),
  }));
}

export interface LastFailureRow {
  providerKeyId: string;
  checkedAt: Date;
  outcome: string;
  errorCode: string | null;
  statusCode: number | null;
}

/** Each key's newest check that was not healthy (degraded or unhealthy), within the retained history. */
export async function lastFailures(): Promise<LastFailureRow[]> {
  const db = await getDb();
  // one index probe per key (health_checks_failures_idx is partial: failures only)
  const rows = await db.execute(sql`
    select k.id as provider_key_id, f.checked_at, f.outcome, f.error_code, f.status_code
    from provider_keys k cross join lateral (
      select checked_at, outcome, error_code, status_code from health_checks h
      where h.provider_key_id = k.id and h.outcome in ('degraded', 'unhealthy')
      order by h.checked_at desc limit 1) f`);
  return rowsOf<Record<string, unknown>>(rows).map((r) => ({
    providerKeyId: r.provider_key_id as string,
    checkedAt: new Date(r.checked_at as string),
    outcome: r.outcome as string,
    errorCode: (r.error_code as string | null) ?? null,
    statusCode: r.status_code === null || r.status_code === undefined ? null : Number(r.status_code),
  }));
}
