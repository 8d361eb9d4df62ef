/**
 * Starts and stops the built app (`next start`) for the fault suite. Each test file runs its own
 * instance (see useApp), so that what one fault leaves behind cannot be blamed on the next file;
 * all of them append to one log, and every PID is noted so that the global teardown can stop any
 * instance a crashed worker left running.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, createWriteStream, existsSync, type WriteStream } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import { pidListeningOn } from "./proc";
import { waitUntil } from "./services";
import { freePort, logTail } from "../../support/process";


export interface AppServer {
  child: ChildProcess;
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** The build the server runs: NEXT_DIST_DIR when set (next.config.ts reads it too), else `.next`. */
export function distDir(): string {
  return process.env.NEXT_DIST_DIR || ".next";
}

/** Spawns `next start` on a free port with `env`, and waits until /api/health/ready answers 200. */
export async function startAppServer(env: Record<string, string>, logPath: string, label: string, pidFile?: string): Promise<AppServer> {
  const buildId = path.resolve(distDir(), "BUILD_ID");
  if (!existsSync(buildId)) throw new Error(`${buildId} is missing: build the app first (npx next build)`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  appendFileSync(logPath, `\n===== ${label}: next start on port ${port} =====\n`);
  const log: WriteStream = createWriteStream(logPath, { flags: "a" });
  await new Promise<void>((r) => log.once("open", () => r()));
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: process.cwd(),
    env: { ...env, ...(process.env.NEXT_DIST_DIR ? { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR } : {}) } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (pidFile && child.pid) appendFileSync(pidFile, `${child.pid}\n`);
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      });
    }
    await new Promise<void>((r) => log.end(() => r()));
  };

  try {
    let last = "no answer";
    await waitUntil(
      "the app answers /api/health/ready with 200",
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before it was ready`);
        }
        try {
          const res = await fetch(`${url}/api/health/ready`);
          last = `${res.status} ${await res.text()}`;
          return res.status === 200;
        } catch (err) {
          last = (err as Error).message;
          return false;
        }
      },
      90_000,
      300,
    ).catch((err: Error) => {
      throw new Error(`${err.message} (last: ${last}). Log tail:\n${logTail(logPath)}`);
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { child, port, url, stop };
}

/**
 * This file's own app instance: started before its tests (with the environment the global setup
 * prepared), stopped after them. `pid()` is the process that listens on the port.
 */
export function useApp(label: string) {
  let app: AppServer | undefined;
  beforeAll(async () => {
    app = await startAppServer(inject("faultsServerEnv"), inject("logPath"), label, path.join(inject("faultsDir"), "app.pids"));
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
    pid: () => pidListeningOn(get().port) ?? get().child.pid ?? -1,
  };
}
