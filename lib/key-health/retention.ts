import "server-only";
import { deleteHealthChecksBefore } from "@/lib/db/queries/health-checks";
import { deleteAlertsBefore } from "@/lib/db/queries/notifications";
import { deleteExpiredSessions } from "@/lib/db/queries/sessions";
import { deleteFinishedDeliveriesBefore } from "@/lib/db/queries/webhooks";
import { getEnv } from "@/lib/env";
import { errorFields, log } from "@/lib/log";

const HOUR_MS = 3600 * 1000;
let timer: NodeJS.Timeout | undefined;

/**
 * Deletes health history, alerts (with their read marks) and finished webhook deliveries older than
 * HEALTH_HISTORY_RETENTION_DAYS, and sessions that have expired (a sign-in leaves a row that nothing
 * else removes unless its user signs out). Idempotent, so any instance may run it.
 */
export async function pruneHealthHistory(now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - getEnv().HEALTH_HISTORY_RETENTION_DAYS * 24 * HOUR_MS);
  const removed = await deleteHealthChecksBefore(cutoff);
  const alerts = await deleteAlertsBefore(cutoff);
  const deliveries = await deleteFinishedDeliveriesBefore(cutoff);
  const sessions = await deleteExpiredSessions(now);
  if (removed || alerts || deliveries) log.info(`Pruned ${removed} health check(s), ${alerts} alert(s) and ${deliveries} webhook deliveries older than ${cutoff.toISOString()}`);
  if (sessions) log.info(`Pruned ${sessions} expired session(s)`);
  return removed;
}

/** Prunes now and then hourly in the background; a failure (database down) is retried next hour. */
export function startHealthHistoryPruning(): void {
  if (timer) return;
  const run = () => pruneHealthHistory().catch((err) => log.warn("Health history pruning failed; will retry", errorFields(err)));
  void run();
  timer = setInterval(run, HOUR_MS);
  timer.unref();
}
