// `WEB_CONCURRENCY=2 npm start`: two worker processes share the port and both answer; the background
// key checks run in one of them (the lease), and SIGTERM stops the whole server cleanly.
// Its own scratch database, so that the lease seen is the cluster's and not the suite server's.
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { type AppProcess, startApp } from "../support/app-process";
import { isServices } from "../support/context";

const ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const name = `llmhub_cluster_${randomBytes(4).toString("hex")}`;
const url = `postgres://postgres@127.0.0.1:5432/${name}`;
let app: AppProcess | undefined;

/** Direct children of `pid` (the workers of the cluster's primary). */
function childrenOf(pid: number): number[] {
  const tasks = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
  return tasks ? tasks.split(/\s+/).map(Number) : [];
}

/** CPU time (user + system, clock ticks) a process has used so far. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** A GET on a new connection each time: the primary hands connections to the workers in turn. */
function get(base: string, p: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(`${base}${p}`, { agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode!));
    }).on("error", reject);
  });
}

afterAll(async () => {
  await app?.stop();
  if (!isServices()) return;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
});

describe.skipIf(!isServices())("WEB_CONCURRENCY=2", () => {
  it("runs two workers that both answer, one background runner, and stops on SIGTERM", async () => {
    const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const env = { ...inject("serverEnv"), DATABASE_URL: url, WEB_CONCURRENCY: "2", HEALTH_CHECK_INTERVAL_SECONDS: "1" };
    app = await startApp({ env, logPath: path.resolve("test-results/server-cluster.log"), name: "cluster" });

    const workers = childrenOf(app.proc.pid!);
    expect(workers, app.output()).toHaveLength(2);

    // both workers serve: each one's CPU time grows while requests come in on fresh connections
    const before = workers.map(cpuTicks);
    for (let i = 0; i < 300; i++) expect(await get(app.url, "/api/health")).toBe(200);
    const used = workers.map((w, i) => cpuTicks(w) - before[i]!);
    for (const u of used) expect(u, `CPU ticks per worker: ${used.join(", ")}`).toBeGreaterThan(0);

    // one background runner: the lease has one holder, a worker, the same one throughout
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    const holders = new Set<string>();
    try {
      const deadline = Date.now() + 3500;
      while (Date.now() < deadline) {
        const rows = await sql<{ holder: string }[]>`select holder from scheduler_leases where name = 'health-checks' and expires_at > now()`;
        for (const r of rows) holders.add(r.holder);
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      await sql.end();
    }
    expect([...holders], app.output()).toHaveLength(1);
    expect(workers).toContain(Number([...holders][0]!.split("-")[0]));

    const exited = new Promise<number | null>((resolve) => app!.proc.once("exit", (code) => resolve(code)));
    app.proc.kill("SIGTERM");
    expect(await exited, app.output()).toBe(0);
    for (const w of workers) expect(() => process.kill(w, 0), `worker ${w} is gone`).toThrow();
  });
});
