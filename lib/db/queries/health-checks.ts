import "server-only";
import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import { getDb } from "../client";
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
