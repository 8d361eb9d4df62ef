import "server-only";
import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import { getDb } from "../client";
import { healthChecks, type HealthCheck, type NewHealthCheck } from "../schema";


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

/**
 * Adds a check to a key's history only while the row still holds the key that was checked (by
 * fingerprint; null = the environment key): a test racing a delete or a replacement must neither
 * fail on the vanished row nor file its result under another key.
 */
export async function insertHealthCheckIfKeyHeld(check: NewHealthCheck & { checkedAt: Date }, fingerprint: string | null): Promise<void> {
  const db = await getDb();
  try {
    await db.execute(sql`
      insert into health_checks (provider_key_id, checked_at, trigger, outcome, error_code, status_code, latency_ms, models_found)
      select ${check.providerKeyId}, ${check.checkedAt.toISOString()}::timestamptz, ${check.trigger}, ${check.outcome},
        ${check.errorCode ?? null}, ${check.statusCode ?? null}::int, ${check.latencyMs ?? null}::int, ${check.modelsFound ?? null}::int
      where exists (select 1 from provider_keys where id = ${check.providerKeyId} and key_fingerprint is not distinct from ${fingerprint})`);
  } catch (err) {
    // the row was deleted between the check above and the insert: its history went with it
    if ((err as { code?: string; cause?: { code?: string } }).code !== "23503" && (err as { cause?: { code?: string } }).cause?.code !== "23503") throw err;
  }
}
