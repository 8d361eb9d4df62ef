/**
 * The built app for the fault suite, through the shared launcher (test/support/app-process.ts).
 * Each test file runs its own instance (useApp), so that what one fault leaves behind cannot be
 * blamed on the next file; all of them append to one log, and every PID is noted so that the global
 * teardown can stop any instance a crashed worker left running.
 */
import { appendFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import { pidListeningOn } from "./proc";
import { type AppProcess, startApp } from "../../support/app-process";

/** The build the server runs: NEXT_DIST_DIR when set (next.config.ts reads it too), else `.next`. */
export function distDir(): string {
  return process.env.NEXT_DIST_DIR || ".next";
}

/**
 * This file's own app instance: started before its tests (with the environment the global setup
 * prepared, plus `extraEnv`), stopped after them. `pid()` is the process that listens on the port.
 */
export function useApp(label: string, extraEnv: Record<string, string> = {}) {
  let app: AppProcess | undefined;
  beforeAll(async () => {
    const pidFile = path.join(inject("faultsDir"), "app.pids");
    app = await startApp({
      env: { ...inject("faultsServerEnv"), ...extraEnv },
      logPath: inject("logPath"),
      append: true,
      name: label,
      // a slow start here is itself a finding of the suite, not a reason to give up early
      readyTimeoutMs: 90_000,
      onSpawn: (a) => a.proc.pid && appendFileSync(pidFile, `${a.proc.pid}\n`),
    });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
  });
  const get = () => {
    if (!app) throw new Error("the app is not running (did its start fail?)");
    return app;
  };
  return {
    url: () => get().url,
    port: () => get().port,
    pid: () => pidListeningOn(get().port) ?? get().proc.pid ?? -1,
  };
}
