import "server-only";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { runKeyTest } from "@/lib/key-checks/run";
import { JITTER, tickMsFor } from "./schedule-math";
import { HealthScheduler } from "./scheduler";

const g = globalThis as unknown as { __llmhubHealth?: HealthScheduler };

/**
 * Starts this process's background checker unless HEALTH_CHECK_INTERVAL_SECONDS is 0 (or, inside
 * the app, HEALTH_CHECKS_IN_APP=false because a separate `npm run worker` does the checking).
 */
export function startHealthChecks(where: "app" | "worker"): HealthScheduler | null {
  const env = getEnv();
  if (env.HEALTH_CHECK_INTERVAL_SECONDS === 0) {
    log.info("Background key checks: off (HEALTH_CHECK_INTERVAL_SECONDS=0)");
    return null;
  }
  if (where === "app" && env.HEALTH_CHECKS_IN_APP === false) {
    log.info("Background key checks: not in this process (HEALTH_CHECKS_IN_APP=false; run `npm run worker`)");
    return null;
  }
  if (g.__llmhubHealth) return g.__llmhubHealth;
  const intervalMs = env.HEALTH_CHECK_INTERVAL_SECONDS * 1000;
  const scheduler = new HealthScheduler({
    intervalMs,
    concurrency: env.HEALTH_CHECK_CONCURRENCY,
    tickMs: tickMsFor(intervalMs),
    testKey: runKeyTest,
  });
  scheduler.start();
  g.__llmhubHealth = scheduler;
  log.info(`Background key checks: every ${env.HEALTH_CHECK_INTERVAL_SECONDS} s (±${JITTER * 100}% jitter), ${env.HEALTH_CHECK_CONCURRENCY} at a time, one runner across instances`);
  return scheduler;
}

/** Lets checks in flight finish and hands the lease on; called on SIGTERM. */
export async function stopHealthChecks(): Promise<void> {
  const s = g.__llmhubHealth;
  g.__llmhubHealth = undefined;
  if (s) await s.stop();
}
