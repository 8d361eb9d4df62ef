/**
 * The fault suite's own services, never the machine's main ones: a Debian Postgres cluster named
 * "faults" on port 5439 (created by the suite when missing, left created afterwards) and a
 * redis-server on port 6391 without persistence. Both the global setup and the test files use these
 * to start, stop and restart them; every wait is on a real condition (pg_isready, redis-cli ping).
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, openSync, readdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
/** pg_ctlcluster as root would hand the action to systemd when it runs; the suite controls the cluster itself. */
const CTL = ["--skip-systemctl-redirect"];

export const PG_PORT = 5439;
export const PG_CLUSTER = "faults";
export const REDIS_PORT = 6391;

/** Resolves after `ms`. */
export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `cond` until it is true; returns the ms it took, or throws naming `what` after `timeoutMs` (or what `cond` throws). */
export async function waitUntil(what: string, cond: () => Promise<boolean>, timeoutMs = 30_000, intervalMs = 100): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await cond()) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`${what}: not true within ${timeoutMs} ms`);
    await pause(intervalMs);
  }
}

/** Runs a command; resolves with its exit code and output (never rejects on a non-zero exit). */
export async function sh(cmd: string, args: string[], timeoutMs = 60_000): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(cmd, args, { timeout: timeoutMs });
    return { code: 0, out: `${stdout}${stderr}` };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === "number" ? e.code : 1, out: `${e.stdout ?? ""}${e.stderr ?? ""}${e.message}` };
  }
}

async function shOk(cmd: string, args: string[], timeoutMs?: number): Promise<string> {
  const r = await sh(cmd, args, timeoutMs);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.code}: ${r.out}`);
  return r.out;
}

// ---------------------------------------------------------------- PostgreSQL

/** The installed major version (newest under /etc/postgresql with its server binary), or FAULTS_PG_VERSION. */
export function pgVersion(): string {
  if (process.env.FAULTS_PG_VERSION) return process.env.FAULTS_PG_VERSION;
  const versions = existsSync("/etc/postgresql")
    ? readdirSync("/etc/postgresql").filter((v) => /^\d+$/.test(v) && existsSync(`/usr/lib/postgresql/${v}/bin/postgres`))
    : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error("no PostgreSQL server found under /etc/postgresql (Debian postgresql-common layout expected)");
  return newest;
}

/** True when the faults cluster accepts TCP connections on 127.0.0.1. */
export async function pgAccepting(): Promise<boolean> {
  return (await sh("pg_isready", ["-q", "-h", "127.0.0.1", "-p", String(PG_PORT)], 10_000)).code === 0;
}

/** Creates the faults cluster when it does not exist yet (idempotent), with trust auth and manual start. */
export async function ensurePgCluster(version = pgVersion()): Promise<void> {
  const list = await shOk("pg_lsclusters", ["--no-header"]);
  const line = list.split("\n").map((l) => l.trim().split(/\s+/)).find((f) => f[0] === version && f[1] === PG_CLUSTER);
  if (line) {
    if (line[2] !== String(PG_PORT)) throw new Error(`cluster ${version}/${PG_CLUSTER} exists on port ${line[2]}, not ${PG_PORT}`);
    return;
  }
  await shOk("pg_createcluster", [version, PG_CLUSTER, "--port", String(PG_PORT), "--start-conf", "manual", "--", "--auth=trust"], 120_000);
}

/**
 * Starts the faults cluster if it is down and waits until it accepts connections. Returns the
 * performance.now() of the first accepted connection, polled alongside `pg_ctlcluster start`
 * (which itself returns a little after the server is up).
 */
export async function startPg(version = pgVersion()): Promise<number> {
  let acceptedAt: number | undefined;
  let starting = true;
  const poll = (async () => {
    while (starting && acceptedAt === undefined) {
      if (await pgAccepting()) acceptedAt = performance.now();
      else await pause(50);
    }
  })();
  try {
    const status = await sh("pg_ctlcluster", [...CTL, version, PG_CLUSTER, "status"]);
    if (status.code !== 0) await shOk("pg_ctlcluster", [...CTL, version, PG_CLUSTER, "start"], 60_000);
    await waitUntil("the faults Postgres cluster accepts connections", async () => acceptedAt !== undefined || (await pgAccepting()), 60_000);
  } finally {
    starting = false;
    await poll;
  }
  return acceptedAt ?? performance.now();
}

/** Stops the faults cluster (fast mode: sessions are terminated) and waits until it refuses connections. */
export async function stopPg(version = pgVersion()): Promise<void> {
  const status = await sh("pg_ctlcluster", [...CTL, version, PG_CLUSTER, "status"]);
  if (status.code === 0) await shOk("pg_ctlcluster", [...CTL, "-m", "fast", version, PG_CLUSTER, "stop"], 60_000);
  await waitUntil("the faults Postgres cluster refuses connections", async () => !(await pgAccepting()), 30_000);
}

/** `pg_ctlcluster restart`; returns when (performance.now()) it accepted connections again. */
export async function restartPg(version = pgVersion()): Promise<number> {
  await shOk("pg_ctlcluster", [...CTL, "-m", "fast", version, PG_CLUSTER, "restart"], 60_000);
  await waitUntil("the faults Postgres cluster accepts connections after a restart", pgAccepting, 60_000);
  return performance.now();
}

export const pgUrl = (db: string) => `postgres://postgres@127.0.0.1:${PG_PORT}/${db}`;

// ---------------------------------------------------------------- Redis

/** True when the suite's Redis answers PING. */
export async function redisUp(): Promise<boolean> {
  const r = await sh("redis-cli", ["-h", "127.0.0.1", "-p", String(REDIS_PORT), "ping"], 5_000);
  return r.code === 0 && r.out.includes("PONG");
}

/**
 * Starts `redis-server` on REDIS_PORT (no persistence, not daemonized) as a detached process that
 * outlives the test worker that started it; its output goes to `dir`/redis.log. No-op if it is up.
 */
export async function startRedis(dir: string): Promise<number> {
  const started = performance.now();
  if (await redisUp()) return 0;
  const out = openSync(path.join(dir, "redis.log"), "a");
  const args = ["--port", String(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"];
  const child = spawn("redis-server", [...args, "--dir", dir, "--pidfile", path.join(dir, "redis.pid")], {
    detached: true,
    stdio: ["ignore", out, out],
  });
  child.unref();
  await waitUntil("the suite's Redis answers PING", redisUp, 20_000, 50);
  return performance.now() - started;
}

/** Shuts the suite's Redis down without saving and waits until it no longer answers. */
export async function stopRedis(): Promise<void> {
  if (!(await redisUp())) return;
  await sh("redis-cli", ["-h", "127.0.0.1", "-p", String(REDIS_PORT), "shutdown", "nosave"], 10_000);
  await waitUntil("the suite's Redis stops answering", async () => !(await redisUp()), 20_000, 50);
}
