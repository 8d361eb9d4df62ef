import "server-only";
import { closeDb } from "@/lib/db/client";
import { log } from "@/lib/log";
import { closeRedis } from "@/lib/rate-limit/redis";

let installed = false;

/**
 * On SIGTERM/SIGINT, Next stops accepting connections and lets in-flight requests finish; we close
 * the database pool and Redis after a short grace period so those requests can complete.
 */
export function installShutdown(): void {
  if (installed) return;
  installed = true;
  const onSignal = (signal: string) => {
    log.info(`${signal} received: closing connections`);
    setTimeout(() => {
      Promise.allSettled([closeDb(), closeRedis()]).finally(() => process.exit(0));
    }, 1500).unref();
  };
  process.once("SIGTERM", () => onSignal("SIGTERM"));
  process.once("SIGINT", () => onSignal("SIGINT"));
}
