/**
 * Process and database plumbing shared by the suites that start the built app (integration,
 * security, faults, e2e): a free port, readiness, a clean stop, throwaway databases, the environment.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import postgres from "postgres";

export const PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";

/** Variables of the calling shell that would change the app's behaviour; the suite sets its own. */
const STRIP =
  /^(DATABASE_URL|REDIS_URL|DATA_DIR|BYOK_|OPS_CENTER_|SESSION_|ADMIN_|ALLOWED_ORIGINS|TRUST_PROXY|COOKIE_SECURE|PROVIDER_|KEY_TESTS_PER_MINUTE|HEALTH_|LOG_LEVEL|NODE_ENV|PORT|HOSTNAME|VITEST|.*_API_KEY$)/;

export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !STRIP.test(k)) env[k] = v;
  env.NEXT_TELEMETRY_DISABLED = "1";
  return env;
}

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

export async function waitReady(url: string, child: ChildProcess, logPath: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before it was ready. Log tail:\n${logTail(logPath)}`);
    }
    try {
      const res = await fetch(`${url}/api/health/ready`);
      last = `${res.status} ${await res.text()}`;
      if (res.status === 200) return;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server was not ready within ${timeoutMs / 1000} s (last: ${last}). Log tail:\n${logTail(logPath)}`);
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

export async function createDatabase(name: string): Promise<void> {
  const sql = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function dropDatabase(name: string): Promise<void> {
  const sql = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
    await sql.unsafe(`drop database if exists "${name}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
