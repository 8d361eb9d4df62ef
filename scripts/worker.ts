// npm run worker — the background key checker as its own process (set HEALTH_CHECKS_IN_APP=false on
// the app instances). Any number may run: one holds the lease, the others stand by.
import { ensureReady } from "@/lib/boot";
import { closeDb } from "@/lib/db/client";
import { startHealthHistoryPruning } from "@/lib/key-health/retention";
import { startHealthChecks, stopHealthChecks } from "@/lib/key-health/runner";
import { log } from "@/lib/log";
import { closeRedis } from "@/lib/rate-limit/redis";
import { startWebhookDelivery, stopWebhookDelivery } from "@/lib/webhooks/dispatcher";

async function main() {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return; // a second signal while stopping changes nothing: checks in flight still finish
    stopping = true;
    log.info(`${signal}: stopping after the checks in flight`);
    await Promise.allSettled([stopHealthChecks(), stopWebhookDelivery()]);
    await Promise.allSettled([closeDb(), closeRedis()]);
    log.info("Worker stopped");
    process.exit(0);
  };
  // installed before start-up, so a signal during it also ends the process cleanly
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  await ensureReady({ bootstrapAdmin: false });
  if (stopping) return;
  startHealthHistoryPruning();
  startWebhookDelivery();
  if (!startHealthChecks("worker")) log.info("Worker: no key checks (HEALTH_CHECK_INTERVAL_SECONDS=0); sending webhook deliveries only");
  log.info("Worker running; SIGTERM or Ctrl-C stops it after the checks in flight");
}

main().catch((err) => {
  console.error(`worker: ${(err as Error).message}`);
  process.exit(1);
});
