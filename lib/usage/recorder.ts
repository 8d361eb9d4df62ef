import "server-only";
import { markDatabaseDown } from "@/lib/db/client";
import { insertUsageBatch } from "@/lib/usage/batch-queries";
import { getEnv } from "@/lib/env";
import { isDatabaseOutage } from "@/lib/errors";
import { errorFields, log } from "@/lib/log";
import { UsageBatcher } from "./batcher";
import { noteKeyMonthTotals } from "./budget";
import { currentPrices } from "./price-cache";
import type { UsageInput } from "./record";

const DROP_LOG_EVERY_MS = 10_000;
const ERROR_LOG_EVERY_MS = 10_000;

const g = globalThis as unknown as { __llmhubUsage?: UsageBatcher; __llmhubUsageLog?: { dropped: number; droppedAt: number; errorAt: number } };

/** This process's batcher (one per process, shared by Next's route bundles). */
export function usageRecorder(): UsageBatcher {
  if (g.__llmhubUsage) return g.__llmhubUsage;
  const env = getEnv();
  const logState = (g.__llmhubUsageLog ??= { dropped: 0, droppedAt: 0, errorAt: 0 });
  const batcher = new UsageBatcher({
    batchSize: env.USAGE_BATCH_SIZE,
    flushIntervalMs: env.USAGE_FLUSH_INTERVAL_MS,
    maxQueued: env.USAGE_QUEUE_MAX,
    prices: () => currentPrices(),
    write: async (records) => {
      const out = await insertUsageBatch(records);
      noteKeyMonthTotals(out.months);
    },
    onError: (err, pending) => {
      if (isDatabaseOutage(err)) markDatabaseDown();
      const now = Date.now();
      if (now - logState.errorAt < ERROR_LOG_EVERY_MS) return;
      logState.errorAt = now;
      log.warn(`Usage records could not be written; ${pending} kept in memory and retried`, errorFields(err));
    },
    isRefusal: (err) => !isDatabaseOutage(err),
    onDropped: (n) => {
      logState.dropped += n;
      const now = Date.now();
      if (now - logState.droppedAt < DROP_LOG_EVERY_MS) return;
      logState.droppedAt = now;
      log.error(`Usage recorder dropped ${logState.dropped} record(s) so far (queue full at USAGE_QUEUE_MAX=${env.USAGE_QUEUE_MAX}, or a batch the database refused 5 times)`);
    },
  });
  g.__llmhubUsage = batcher;
  return batcher;
}

/**
 * Records one gateway request's usage (gateway.md §4). Returns at once: the record is written with
 * others in a batch, off the request's path. Never throws. The gateway calls it from one place,
 * lib/gateway/record.ts (`recordGatewayUsage`, run when the engine's `onFinish` fires).
 */
export function recordUsage(input: UsageInput): void {
  try {
    usageRecorder().enqueue(input);
  } catch (err) {
    log.error("Usage record refused", errorFields(err));
  }
}

/** On SIGTERM: writes what is still held (up to `deadlineMs`) and logs any records that could not be. */
export async function stopUsageRecorder(deadlineMs = 8000): Promise<void> {
  const b = g.__llmhubUsage;
  if (!b) return;
  const left = await b.drain(deadlineMs);
  const dropped = b.stats.dropped + left;
  if (dropped > 0) log.error(`Usage recorder stopping: ${dropped} record(s) lost (${b.stats.dropped} dropped while the queue was full, ${left} not written before shutdown)`);
  else if (b.stats.written > 0) log.info(`Usage recorder stopped: every record written (${b.stats.written} in ${b.stats.statements} statement${b.stats.statements === 1 ? "" : "s"})`);
}
