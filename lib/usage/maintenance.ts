import "server-only";
import { createUsagePartition, deleteUsageRollupsBefore, dropUsagePartitionsBefore } from "@/lib/usage/partition-queries";
import { getEnv } from "@/lib/env";
import { errorFields, log } from "@/lib/log";

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Day partitions are made this many days ahead, so a missed run or two never sends rows to DEFAULT. */
export const PARTITION_DAYS_AHEAD = 7;

const g = globalThis as unknown as { __llmhubUsageMaintenance?: NodeJS.Timeout };

const utcDay = (t: number) => new Date(Math.floor(t / DAY_MS) * DAY_MS);

/**
 * The usage tables' upkeep: partitions from yesterday to PARTITION_DAYS_AHEAD days ahead, records
 * older than USAGE_RETENTION_DAYS dropped a whole day at a time, rollups older than
 * USAGE_ROLLUP_RETENTION_DAYS deleted. Idempotent and serialised by an advisory lock, so every
 * instance may run it.
 */
export async function maintainUsage(now = new Date()): Promise<{ created: number; dropped: string[]; rollupsDeleted: number }> {
  const env = getEnv();
  let created = 0;
  for (let d = -1; d <= PARTITION_DAYS_AHEAD; d++) {
    if (await createUsagePartition(utcDay(now.getTime() + d * DAY_MS))) created++;
  }
  const dropped = await dropUsagePartitionsBefore(utcDay(now.getTime() - env.USAGE_RETENTION_DAYS * DAY_MS));
  const rollupsDeleted = await deleteUsageRollupsBefore(new Date(now.getTime() - env.USAGE_ROLLUP_RETENTION_DAYS * DAY_MS));
  if (dropped.length) log.info(`Usage retention: dropped ${dropped.length} day partition(s) older than ${env.USAGE_RETENTION_DAYS} days`);
  if (rollupsDeleted) log.info(`Usage retention: deleted ${rollupsDeleted} hourly rollup(s) older than ${env.USAGE_ROLLUP_RETENTION_DAYS} days`);
  return { created, dropped, rollupsDeleted };
}

/** Runs the upkeep now and hourly; a failure (database down, not migrated yet) is retried a minute later. */
export function startUsageMaintenance(): void {
  if (g.__llmhubUsageMaintenance) return;
  let retrying = false;
  const run = (): Promise<unknown> =>
    maintainUsage().catch((err) => {
      log.warn("Usage table upkeep failed; will retry in a minute", errorFields(err));
      if (retrying) return;
      retrying = true;
      setTimeout(() => {
        retrying = false;
        void run();
      }, 60_000).unref();
    });
  void run();
  g.__llmhubUsageMaintenance = setInterval(run, HOUR_MS);
  g.__llmhubUsageMaintenance.unref();
}
