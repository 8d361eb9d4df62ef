/**
 * The one launcher for the BUILT app (`next start`) in tests and the bench, and the process plumbing
 * under it: a free port, a child whose output goes straight to a log file, a wait for an HTTP
 * answer, a clean stop. The app runs with exactly the command of package.json's `start` script (its
 * Node flags included), so every suite measures and tests what `npm start` runs in production.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export function logTail(file: string, lines = 60): string {
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").slice(-lines).join("\n") : "(no log)";
}

/** A child process whose stdout and stderr go to `logPath`. */
export interface LoggedProcess {
  name: string;
  proc: ChildProcess;
  logPath: string;
  /** The log so far ("" before it exists). */
  output(): string;
  exited(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `command args` with its output written to `logPath` by the child itself: piped through
 * this process instead, every line the server logs would cost the test runner or the bench's load
 * generator (on the same cores) CPU time. `append` adds to the log (several instances, one file).
 */
export function spawnLogged(
  name: string,
  command: string,
  args: string[],
  o: { env: Record<string, string>; logPath: string; append?: boolean; cwd?: string },
): LoggedProcess {
  const fd = openSync(o.logPath, o.append ? "a" : "w");
  let proc: ChildProcess;
  try {
    proc = spawn(command, args, { cwd: o.cwd ?? process.cwd(), env: o.env as NodeJS.ProcessEnv, stdio: ["ignore", fd, fd] });
  } finally {
    closeSync(fd); // the child holds its own copy
  }
  const exited = () => proc.exitCode !== null || proc.signalCode !== null;
  return {
    name,
    proc,
    logPath: o.logPath,
    output: () => (existsSync(o.logPath) ? readFileSync(o.logPath, "utf8") : ""),
    exited,
    stop: (graceMs = 15_000) => stopProcess(proc, graceMs),
  };
}

export function stopProcess(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Polls `url` until `ok(status)`; throws with the log's tail when the process exits first or time runs out. */
export async function waitForHttp(p: LoggedProcess, url: string, ok: (status: number) => boolean = (s) => s === 200, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (p.exited()) {
      throw new Error(`${p.name} exited (${p.proc.exitCode ?? p.proc.signalCode}) before it was ready. Log tail (${p.logPath}):\n${logTail(p.logPath)}`);
    }
    try {
      const res = await fetch(url);
      last = `${res.status} ${(await res.text()).slice(0, 200)}`;
      if (ok(res.status)) return;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${p.name} was not ready within ${timeoutMs / 1000} s (last: ${last}). Log tail (${p.logPath}):\n${logTail(p.logPath)}`);
}

// ---------------------------------------------------------------- the app

export interface Command {
  command: string;
  args: string[];
}

/**
 * What `npm start` runs in `dir`, read from its package.json: `node [flags] server.mjs` (the app's own
 * server), or in an older checkout `node [flags] node_modules/next/dist/bin/next start` or plain
 * `next start`, run here with this Node. Both take `-p PORT -H HOST`. Anything else is refused
 * rather than guessed.
 */
export function startCommand(dir = process.cwd()): Command & { nodeFlags: string[] } {
  const start: string = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).scripts?.start ?? "";
  const own = /^node ((?:--\S+ )*)server\.mjs$/.exec(start.trim());
  if (own) {
    const flags = (own[1] ?? "").trim().split(/\s+/).filter(Boolean);
    return { command: process.execPath, args: [...flags, "server.mjs"], nodeFlags: flags };
  }
  const m = /^(?:node ((?:--\S+ )*)node_modules\/next\/dist\/bin\/next|next) start$/.exec(start.trim());
  if (!m) throw new Error(`package.json's start script is neither \`node [flags] server.mjs\` nor \`[node [flags] node_modules/next/dist/bin/]next start\`: ${start}`);
  const flags = (m[1] ?? "").trim().split(/\s+/).filter(Boolean);
  return { command: process.execPath, args: [...flags, "node_modules/next/dist/bin/next", "start"], nodeFlags: flags };
}

export interface AppProcess extends LoggedProcess {
  port: number;
  url: string;
}

export interface AppOptions {
  /** The app's whole environment (see app-services.ts: baseEnv, appSecrets, providerBaseUrlEnv). */
  env: Record<string, string>;
  logPath: string;
  /** Adds to the log after a banner line naming the instance, instead of starting it afresh. */
  append?: boolean;
  /** The instance's name in errors and in the banner. */
  name?: string;
  /** The checkout whose package.json and build run (the bench's --app-dir); default the current one. */
  cwd?: string;
  port?: number;
  /** Instead of `npm start`'s command (the bench's --profile); it gets the port in PORT. */
  command?: Command;
}

/** Spawns the built app on a free loopback port (not waiting for it: see waitReady, startApp). */
export async function spawnApp(o: AppOptions): Promise<AppProcess> {
  const cwd = o.cwd ?? process.cwd();
  // next.config.ts builds into and serves from NEXT_DIST_DIR when set
  const buildId = path.resolve(cwd, o.env.NEXT_DIST_DIR || ".next", "BUILD_ID");
  if (!existsSync(buildId)) throw new Error(`${buildId} is missing: build the app first (npx next build)`);
  const port = o.port ?? (await freePort());
  const name = o.name ?? "the app";
  const { command, args } = o.command ?? startCommand(cwd);
  const fullArgs = o.command ? args : [...args, "-p", String(port), "-H", "127.0.0.1"];
  if (o.append) appendFileSync(o.logPath, `\n===== ${name}: npm start on port ${port} =====\n`);
  const p = spawnLogged(name, command, fullArgs, { env: { ...o.env, PORT: String(port) }, logPath: o.logPath, append: o.append, cwd });
  return { ...p, port, url: `http://127.0.0.1:${port}` };
}

/** Waits until the app answers GET /api/health/ready with 200 (migrations applied, services reachable). */
export function waitReady(app: AppProcess, timeoutMs = 60_000): Promise<void> {
  return waitForHttp(app, `${app.url}/api/health/ready`, (s) => s === 200, timeoutMs);
}

/** spawnApp, then waitReady; an app that never gets ready is stopped before the error is thrown. */
export async function startApp(o: AppOptions & { readyTimeoutMs?: number; onSpawn?: (app: AppProcess) => void }): Promise<AppProcess> {
  const app = await spawnApp(o);
  o.onSpawn?.(app);
  try {
    await waitReady(app, o.readyTimeoutMs);
  } catch (err) {
    await app.stop();
    throw err;
  }
  return app;
}
