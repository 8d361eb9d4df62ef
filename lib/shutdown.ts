import "server-only";
import { closeDb } from "@/lib/db/client";
import { stopHealthChecks } from "@/lib/key-health/runner";
import { log } from "@/lib/log";
import { closeRedis } from "@/lib/rate-limit/redis";
import { stopUsageRecorder } from "@/lib/usage/recorder";
import { stopWebhookDelivery } from "@/lib/webhooks/dispatcher";

let installed = false;

/**
 * On SIGTERM/SIGINT: let the background checks and webhook attempts in flight finish and record their results (each is
 * bounded by the provider timeout), give in-flight requests a moment, write the usage records still held (bounded),
 * then close the pools and exit.
 */
export function installShutdown(): void {
  if (installed) return;
  installed = true;
  const onSignal = (signal: string) => {
    log.info(`${signal} received: finishing background checks and closing connections`);
    const grace = new Promise((resolve) => setTimeout(resolve, 1500));
    Promise.allSettled([stopHealthChecks(), stopWebhookDelivery(), grace])
      // after the grace: requests that finished in it have queued their usage records by now
      .then(() => stopUsageRecorder())
      .then(() => Promise.allSettled([closeDb(), closeRedis()]))
      .finally(() => process.exit(0));
  };
  process.once("SIGTERM", () => onSignal("SIGTERM"));
  process.once("SIGINT", () => onSignal("SIGINT"));
}
