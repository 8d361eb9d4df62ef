/**
 * `npm run bench:sweep [-- options]`: what one background health-check sweep over 1,000 stored keys
 * costs. Drives lib/key-health/scheduler.ts (HealthScheduler.tick(), the code the app and `npm run worker`
 * run) in this process against a fresh PostgreSQL database and the loopback fake provider (its own
 * process, so its CPU is not counted as ours), and prints the figures, also written to
 * bench/sweep-results.md.
 *
 * Each round: every key due now, a new scheduler, tick() until every key has one scheduled check (how
 * many ticks that took is reported), then the history rows are read back. Between rounds
 * the keys, history and alerts are reset and vacuumed, so each round is one sweep over the same keys.
 *
 *   --keys N             stored keys (default 1000), custom endpoints with distinct encrypted keys
 *   --invalid-percent P  share of keys the fake rejects (401: unhealthy, one alert each; default 2)
 *   --concurrency LIST   HEALTH_CHECK_CONCURRENCY values (default "4,16"; 4 is the app's default)
 *   --latency LIST       the fake provider's latency in ms (default "0,100")
 *   --no-breakdown       skip the concurrency-1 round that splits each check into claim / provider / record
 *   --pool N             DATABASE_POOL_MAX (default: the app's, 10)
 *   --out FILE           where the report goes (default bench/sweep-results.md for the default matrix,
 *                        else bench/tmp/sweep-results-partial.md)
 *   --repeat R           sweeps per configuration (default 3, interleaved); the report shows the median
 *                        by wall time, and the range
 *   --wait-quiet S       wait up to S seconds (default 300) for other work on the machine to finish,
 *                        and up to S / 5 before each sweep
 *   --nice N             run the bench and the fake provider at this scheduling priority (e.g. -10:
 *                        on a machine shared with other work, they get the CPU first)
 *   --verbose            show the app's per-alert log lines (counted and hidden by default)
 *
 * Run it through `tsx --conditions=react-server` (lib modules import "server-only"), as the script does.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { createKeyring } from "../lib/crypto/keyring";
import type { HealthScheduler } from "../lib/key-health/scheduler";
import type { ProviderType } from "../lib/providers/catalogue";
import type { KeyTestResult } from "../lib/providers/types";
import { type Child, cpuMsOf, type CpuSnapshot, cpuSnapshot, dropDatabase, freePort, gitCommit, machine, machineBusy, memoryOf, resetPeakRss, runBench, spawnLogged, stopChild, waitForHttp } from "./procs";

const PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const ROOT = process.cwd();
const TMP = path.resolve(ROOT, "bench/tmp");
/** The app's default interval (900 s) and the tick the runner derives from it (min(30 s, interval / 10)). */
const INTERVAL_MS = 900_000;
const TICK_MS = 30_000;
const WARMUP_KEYS = 1000;
const APP_NAME = "llmhub-sweep-bench";

const { values: opts } = parseArgs({
  options: {
    keys: { type: "string", default: "1000" },
    "invalid-percent": { type: "string", default: "2" },
    concurrency: { type: "string", default: "4,16" },
    latency: { type: "string", default: "0,100" },
    "no-breakdown": { type: "boolean", default: false },
    pool: { type: "string" },
    out: { type: "string" },
    verbose: { type: "boolean", default: false },
    "wait-quiet": { type: "string", default: "300" },
    repeat: { type: "string", default: "3" },
    nice: { type: "string", default: "0" },
  },
});
const KEYS = intOpt("keys", opts.keys, 1);
const INVALID_PERCENT = Number(opts["invalid-percent"]);
const CONCURRENCIES = listOpt("concurrency", opts.concurrency, 1);
const LATENCIES = listOpt("latency", opts.latency, 0);
const BREAKDOWN = !opts["no-breakdown"];
const REPEAT = intOpt("repeat", opts.repeat, 1);
const NICE = Number(opts.nice);
const WAIT_QUIET_S = Number(opts["wait-quiet"]);
const DEFAULT_MATRIX = KEYS === 1000 && INVALID_PERCENT === 2 && opts.concurrency === "4,16" && opts.latency === "0,100" && BREAKDOWN && !opts.pool;
const OUT = path.resolve(ROOT, opts.out ?? (DEFAULT_MATRIX ? "bench/sweep-results.md" : "bench/tmp/sweep-results-partial.md"));

function intOpt(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return n;
}
function listOpt(name: string, v: string, min: number): number[] {
  return v.split(",").map((s) => intOpt(name, s.trim(), min));
}

// ---------------------------------------------------------------------------------------------
// Figures

interface TickFigure {
  checked: number;
  ms: number;
  /** Tick start to its first key test: the lease, scheduling never-scheduled keys, listing due keys, the first claim. */
  setupMs: number;
}

interface Round {
  label: string;
  concurrency: number;
  latencyMs: number;
  keys: number;
  ticks: TickFigure[];
  wallMs: number;
  /** Wall time of every repeat of this configuration (this round is the median one). */
  walls: number[];
  /** Share of the machine's CPU busy just before this sweep, and seconds waited for it to calm down. */
  busyBefore: number;
  waitedS: number;
  checks: number;
  distinctKeys: number;
  healthy: number;
  unhealthy: number;
  other: number;
  alerts: number;
  /** latency_ms of the history rows: the provider's answer time as the check measures it. */
  providerP50: number;
  providerP95: number;
  /** The whole testKey call (URL policy check, HTTP, parsing), measured around it here. */
  testKeyP50: number;
  testKeyP95: number;
  testKeyMean: number;
  /** Mean time a worker spends per check (claim + test + record): concurrency × busy time / checks. */
  perCheckMean: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  pgCpuMs: number;
  pgBackends: number;
  fakeCpuMs: number;
  rssBeforeMiB: number;
  peakRssMiB: number;
  foreignCores: number;
  /** The biggest users among those other processes, by name. */
  foreignTop: string;
  /** CPU of kernel threads meanwhile (I/O and networking, for this sweep and everything else). */
  kernelCores: number;
  notRecorded: number;
  /** Keys left without a result this sweep (claimed, then the record was refused by the fence). */
  missing: number;
  breakdown?: Breakdown;
}

interface Breakdown {
  samples: number;
  claim: [number, number];
  test: [number, number];
  record: [number, number];
  total: [number, number];
  recordAlert: [number, number] | null;
}

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "–");
const fmtInt = (v: number) => fmt(v, 0);
const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! : NaN);
const p50p95 = (xs: number[]): [number, number] => {
  const s = [...xs].sort((a, b) => a - b);
  return [pct(s, 50), pct(s, 95)];
};
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------------------------------------
// Environment

/** Variables of the calling shell that would change the app's behaviour; the bench sets its own. */
const STRIP = /^(DATABASE_|REDIS_URL|DATA_DIR|BYOK_|SESSION_|ADMIN_|ALLOWED_ORIGINS|TRUST_PROXY|COOKIE_SECURE|PROVIDER_|KEY_TESTS_PER_MINUTE|HEALTH_|ALERT_|WEBHOOK_|LOG_LEVEL|NODE_ENV|NODE_OPTIONS|.*_API_KEY$)/;
function childEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !STRIP.test(k)) env[k] = v;
  return env;
}

// ---------------------------------------------------------------------------------------------
// State and cleanup

let dbName: string | undefined;
let dataDir: string | undefined;
let fake: Child | undefined;
let sql: postgres.Sql | undefined;
let closeLibDb: (() => Promise<void>) | undefined;
let cleaning: Promise<void> | undefined;

async function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await closeLibDb?.().catch(() => {});
    await sql?.end({ timeout: 2 }).catch(() => {});
    await stopChild(fake).catch(() => {});
    if (dbName) await dropDatabase(PG_ADMIN_URL, dbName);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  })();
  return cleaning;
}

// The app logs one WARN line per alert; count them (and any "not recorded", i.e. lost lease) instead of scrolling.
const logCounts = { alert: 0, notRecorded: 0 };
const writeStderr = process.stderr.write.bind(process.stderr);
process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  const s = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
  if (s.includes(" WARN Alert: ")) {
    logCounts.alert++;
    if (!opts.verbose) return true;
  } else if (s.includes(" not recorded (lease lost")) {
    logCounts.notRecorded++;
  }
  return (writeStderr as (...a: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stderr.write;

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const started = new Date();
  mkdirSync(TMP, { recursive: true });
  const m = machine();
  const commit = gitCommit();
  console.log(`LLM Hub health-check sweep bench: ${m.cpu}, ${m.cores} cores, ${fmt(m.ramGiB)} GiB, Node ${m.node}, commit ${commit}`);
  // Everything shares this machine's cores: wait (a while) for other work to finish first.
  if (NICE !== 0) os.setPriority(process.pid, NICE);
  let busyAtStart = await machineBusy(2000);
  const quietBy = Date.now() + WAIT_QUIET_S * 1000;
  if (busyAtStart > 0.25) console.log(`The machine is ${fmtInt(busyAtStart * 100)}% busy with other work; waiting up to ${WAIT_QUIET_S} s for it to calm down ...`);
  while (busyAtStart > 0.25 && Date.now() < quietBy) busyAtStart = await machineBusy(5000);
  console.log(`Machine ${fmtInt(busyAtStart * 100)}% busy just before the run${busyAtStart > 0.25 ? " (measuring anyway; the report says so)" : ""}.`);

  // A fresh database.
  dbName = `llmhub_bench_sweep_${randomBytes(5).toString("hex")}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  const pgVersion = String((await admin`show server_version`)[0]!.server_version);
  const pgSettings = await admin`select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'shared_buffers')`;
  await admin.end({ timeout: 5 });
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${dbName}`;
  const pgConf = Object.fromEntries(pgSettings.map((r) => [r.name as string, r.setting as string]));
  console.log(`Database ${dbName} (PostgreSQL ${pgVersion}, fsync ${pgConf.fsync}, synchronous_commit ${pgConf.synchronous_commit}).`);

  // The fake provider, in its own process.
  const fakePort = await freePort();
  const fakeProc = spawnLogged("fake provider", process.execPath, ["--import", "tsx", "test/fake-provider/main.ts", "--port", String(fakePort)], {
    env: childEnv(),
    logPath: path.join(TMP, "sweep-fake.log"),
  });
  fake = fakeProc;
  const fakeUrl = `http://127.0.0.1:${fakePort}`;
  await waitForHttp(fakeProc, `${fakeUrl}/__fake/requests`, (s) => s === 200);
  const fakePid = fakeProc.proc.pid!;
  if (NICE !== 0) os.setPriority(fakePid, NICE);
  const setFakeLatency = async (ms: number) => {
    const res = await fetch(`${fakeUrl}/__fake/latency?ms=${ms}`, { method: "POST" });
    if (!res.ok) throw new Error(`fake latency: HTTP ${res.status}`);
    // the fake keeps every request it served: forget them between rounds
    await fetch(`${fakeUrl}/__fake/reset`, { method: "POST" });
  };

  // The app's configuration: set before any lib module is imported (lib/env.ts reads process.env once).
  for (const k of Object.keys(process.env)) if (STRIP.test(k)) delete process.env[k];
  dataDir = mkdtempSync(path.join(os.tmpdir(), "llmhub-sweep-"));
  const encryptionKey = `${randomBytes(32).toString("base64url")}=`;
  Object.assign(process.env, {
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    BYOK_ENCRYPTION_KEY: encryptionKey,
    SESSION_SECRET: randomBytes(32).toString("hex"),
    ADMIN_EMAIL: "sweep-bench@example.com",
    ADMIN_PASSWORD: randomBytes(12).toString("hex"),
    LOG_LEVEL: "warn",
    PROVIDER_URL_POLICY: "any",
    HEALTH_CHECK_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
    ...(opts.pool ? { DATABASE_POOL_MAX: opts.pool } : {}),
  });
  const fakeBases: Record<string, string> = {
    openrouter: "/openrouter/api/v1",
    openai: "/openai/v1",
    anthropic: "/anthropic/v1",
    google: "/google/v1beta",
    cohere: "/cohere",
    groq: "/groq/openai/v1",
    together: "/together/v1",
    mistral: "/mistral/v1",
  };
  for (const [type, base] of Object.entries(fakeBases)) process.env[`PROVIDER_BASE_URL_${type.toUpperCase()}`] = `${fakeUrl}${base}`;
  const customBase = `${fakeUrl}/custom/v1`;

  const { ensureReady } = await import("@/lib/boot");
  const { HealthScheduler: Scheduler } = await import("@/lib/key-health/scheduler");
  const { runKeyTest } = await import("@/lib/key-checks/run");
  const dbClient = await import("@/lib/db/client");
  const { getEnv } = await import("@/lib/env");
  closeLibDb = dbClient.closeDb;
  const migrateStart = performance.now();
  await ensureReady();
  const migrateMs = performance.now() - migrateStart;
  const poolMax = getEnv().DATABASE_POOL_MAX;
  console.log(`Migrations applied and built-in rows seeded in ${fmtInt(migrateMs)} ms; DATABASE_POOL_MAX=${poolMax}.`);

  // The stored keys: custom endpoints (one row each, as a save would write it) on the fake.
  sql = postgres(databaseUrl, { max: 2, onnotice: () => {}, connection: { application_name: APP_NAME } });
  const keyring = createKeyring([encryptionKey]);
  const salt = randomBytes(4).toString("hex");
  const invalidEvery = INVALID_PERCENT > 0 ? Math.max(1, Math.round(100 / INVALID_PERCENT)) : 0;
  const insertStart = performance.now();
  const rows = Array.from({ length: KEYS }, (_, i) => {
    const bad = invalidEvery > 0 && i % invalidEvery === invalidEvery - 1;
    const key = bad ? `sk-sweep-invalid-${salt}-${String(i).padStart(6, "0")}` : `sk-sweep-${salt}-${String(i).padStart(6, "0")}-${randomBytes(8).toString("hex")}`;
    const { token, keyId } = keyring.encrypt(key);
    const name = `Sweep ${String(i).padStart(5, "0")}`;
    return {
      bad,
      slug: `custom:${name.toLowerCase()}`,
      provider_type: "custom",
      name,
      encrypted_key: token,
      encryption_key_id: keyId,
      key_preview: `${key.slice(0, 7)}...${key.slice(-4)}`,
      key_fingerprint: keyring.fingerprint(key),
      config: { base_url: customBase },
      updated_by: "sweep-bench",
    };
  });
  const cols = Object.keys(rows[0]!).filter((c) => c !== "bad");
  for (let i = 0; i < rows.length; i += 2000) {
    await sql.unsafe(`insert into provider_keys (${cols.join(", ")}) select ${cols.join(", ")} from json_populate_recordset(null::provider_keys, $1::text::json)`, [
      JSON.stringify(rows.slice(i, i + 2000)),
    ]);
  }
  const invalidKeys = rows.filter((r) => r.bad).length;
  console.log(`Inserted ${fmtInt(KEYS)} custom-endpoint keys (${invalidKeys} the fake rejects) in ${fmtInt(performance.now() - insertStart)} ms.`);

  /** Every custom key back to never-checked and due now (or only the first `due` of them); history and alerts emptied. */
  const reset = async (due = KEYS) => {
    const now = new Date(Date.now() - 1000);
    const later = new Date(Date.now() + 24 * 3600_000);
    await sql!`update provider_keys set
        next_check_at = case when row_number <= ${due} then ${now} else ${later} end,
        check_backoff = 0, alert_state = 'none', health_status = 'unknown', test_status = null, last_tested = null, last_test = null,
        degraded_since = null, last_alert_at = null, alert_reminders = 0
      from (select id as rid, row_number() over (order by slug) as row_number from provider_keys where updated_by = 'sweep-bench') ranked
      where provider_keys.id = ranked.rid`;
    await sql!`delete from webhook_deliveries`;
    await sql!`delete from alerts`;
    await sql!`delete from health_checks`;
    await sql!`delete from scheduler_leases`;
    await sql!.unsafe("vacuum (analyze) provider_keys, health_checks, alerts, scheduler_leases");
  };

  /** CPU time so far of this database's backends except our own measuring connection. */
  const pgBackendCpu = async (): Promise<Map<number, number>> => {
    const pids = await sql!<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${dbName!} and coalesce(application_name, '') <> ${APP_NAME}`;
    return new Map(pids.map(({ pid }) => [pid, cpuMsOf(pid)]));
  };

  let roundNo = 0;
  const runRound = async (label: string, concurrency: number, latencyMs: number, due: number, withBreakdown: boolean): Promise<Round> => {
    await reset(due);
    await setFakeLatency(latencyMs);
    // let the reset's vacuum settle, and give other work on the machine a chance to finish
    const waitStart = Date.now();
    let busyBefore = await machineBusy(1000);
    while (busyBefore > 0.25 && Date.now() - waitStart < (WAIT_QUIET_S / 5) * 1000) busyBefore = await machineBusy(1000);
    const waitedS = (Date.now() - waitStart) / 1000 - 1;
    const clockCalls: number[] = [];
    const tests: { s: number; e: number; ok: boolean }[] = [];
    const clock = () => {
      clockCalls.push(performance.now());
      return new Date();
    };
    const testKey = async (type: ProviderType, key: string | null, baseUrl: string | null): Promise<KeyTestResult> => {
      const s = performance.now();
      const r = await runKeyTest(type, key, baseUrl);
      tests.push({ s, e: performance.now(), ok: r.success });
      return r;
    };
    const scheduler: HealthScheduler = new Scheduler({ intervalMs: INTERVAL_MS, concurrency, tickMs: TICK_MS, clock, holder: `sweep-${++roundNo}`, testKey });
    const logBefore = { ...logCounts };

    const pgBefore = await pgBackendCpu();
    const fakeBefore = cpuMsOf(fakePid);
    const snapBefore = cpuSnapshot();
    const rssBefore = memoryOf(process.pid)?.rss ?? NaN;
    resetPeakRss(process.pid);
    const cpuBefore = process.cpuUsage();
    const t0 = performance.now();

    const ticks: (TickFigure & { start: number; end: number; firstTest: number })[] = [];
    let checked = 0;
    while (checked < due) {
      const start = performance.now();
      const testsBefore = tests.length;
      const r = await scheduler.tick();
      const end = performance.now();
      if (!r.leader) throw new Error(`${label}: the scheduler did not get the lease`);
      // in tick(): clock() for `now`, one for the fence of scheduleUnscheduledKeys; the next is the first claim
      const firstTest = tests[testsBefore]?.s ?? end;
      // nothing left due although keys lack a result: their claim held but their record was refused (lease lost)
      if (r.checked === 0) break;
      ticks.push({ checked: r.checked, ms: end - start, setupMs: firstTest - start, start, end, firstTest });
      checked += r.checked;
    }
    const wallMs = ticks.length ? ticks[ticks.length - 1]!.end - t0 : NaN;
    const cpu = process.cpuUsage(cpuBefore);
    const mem = memoryOf(process.pid);
    const fakeCpuMs = cpuMsOf(fakePid) - fakeBefore;
    const pgAfter = await pgBackendCpu();
    const snapAfter = cpuSnapshot();
    const pgServing = await sql!<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${dbName!} or datname is null`;
    const foreign = otherWork(snapBefore, snapAfter, [process.pid, fakePid], new Set(pgServing.map((p) => p.pid)), wallMs / 1000);
    let pgCpuMs = 0;
    for (const [pid, ms] of pgAfter) pgCpuMs += ms - (pgBefore.get(pid) ?? 0);
    const confirm = await scheduler.tick(); // nothing may be left due
    await scheduler.stop();
    if (confirm.checked !== 0) throw new Error(`${label}: ${confirm.checked} keys were still due after the sweep`);

    const [h] = await sql!<
      { n: number; keys: number; healthy: number; unhealthy: number; p50: number; p95: number }[]
    >`select count(*)::int as n, count(distinct provider_key_id)::int as keys,
        count(*) filter (where outcome = 'healthy')::int as healthy, count(*) filter (where outcome = 'unhealthy')::int as unhealthy,
        percentile_disc(0.5) within group (order by latency_ms) as p50, percentile_disc(0.95) within group (order by latency_ms) as p95
      from health_checks where trigger = 'scheduled'`;
    const [a] = await sql!<{ n: number }[]>`select count(*)::int as n from alerts`;
    if (!h || h.n !== h.keys) throw new Error(`${label}: ${h?.n} scheduled checks on ${h?.keys} keys: some key was checked twice`);
    const notRecorded = logCounts.notRecorded - logBefore.notRecorded;
    if (h.keys !== due && notRecorded === 0) throw new Error(`${label}: expected ${due} scheduled checks, found ${h.keys}`);

    const testMs = tests.map((t) => t.e - t.s);
    const [tk50, tk95] = p50p95(testMs);
    // Little's law per tick: `concurrency` workers are busy from (about) the first claim to (about) the tick's end
    const busyMs = sum(ticks.map((t) => Math.min(concurrency, t.checked) * (t.end - t.firstTest)));
    const round: Round = {
      label,
      concurrency,
      latencyMs,
      keys: due,
      ticks: ticks.map(({ checked: c, ms, setupMs }) => ({ checked: c, ms, setupMs })),
      wallMs,
      walls: [wallMs],
      busyBefore,
      waitedS,
      checks: h.n,
      distinctKeys: h.keys,
      healthy: h.healthy,
      unhealthy: h.unhealthy,
      other: h.n - h.healthy - h.unhealthy,
      alerts: a?.n ?? 0,
      providerP50: Number(h.p50),
      providerP95: Number(h.p95),
      testKeyP50: tk50,
      testKeyP95: tk95,
      testKeyMean: sum(testMs) / testMs.length,
      perCheckMean: busyMs / h.n,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      pgCpuMs,
      pgBackends: pgAfter.size,
      fakeCpuMs,
      rssBeforeMiB: rssBefore,
      peakRssMiB: mem?.hwm ?? NaN,
      foreignCores: foreign.cores,
      foreignTop: foreign.top,
      kernelCores: foreign.kernelCores,
      notRecorded,
      missing: due - h.keys,
      breakdown: withBreakdown ? breakdownOf(ticks, clockCalls, tests) : undefined,
    };
    return round;
  };

  // Warm-up (not reported): the code paths, the pool's connections, the fake's sockets.
  console.log(`Warm-up: one sweep over ${fmtInt(Math.min(WARMUP_KEYS, KEYS))} keys ...`);
  await runRound("warm-up", 4, 0, Math.min(WARMUP_KEYS, KEYS), false);

  const rounds: Round[] = [];
  const plan: { label: string; c: number; lat: number; breakdown: boolean }[] = [];
  if (BREAKDOWN) plan.push({ label: "breakdown", c: 1, lat: 0, breakdown: true });
  for (const lat of LATENCIES) for (const c of CONCURRENCIES) plan.push({ label: `c${c}-${lat}ms`, c, lat, breakdown: c === 1 });
  const all = new Map<string, Round[]>(plan.map((p) => [p.label, []]));
  // repeats interleaved, so that a burst of other work on the machine does not hit every repeat of one configuration
  for (let rep = 1; rep <= REPEAT; rep++) {
    for (const p of plan) {
      process.stdout.write(`Sweep ${rep}/${REPEAT}: ${fmtInt(KEYS)} keys, concurrency ${p.c}, provider latency ${p.lat} ms ... `);
      const r = await runRound(p.label, p.c, p.lat, KEYS, p.breakdown);
      all.get(p.label)!.push(r);
      console.log(
        `${fmt(r.wallMs / 1000, 2)} s, ${fmtInt(r.checks / (r.wallMs / 1000))} checks/s, ${r.ticks.length} ticks, ${r.alerts} alerts, ` +
          `CPU ${fmtInt(r.cpuUserMs + r.cpuSystemMs)} ms (ours) + ${fmtInt(r.pgCpuMs)} ms (PostgreSQL); other work ${fmt(r.foreignCores)} cores${r.foreignTop ? ` (${r.foreignTop})` : ""}, kernel threads ${fmt(r.kernelCores)}`,
      );
    }
  }
  for (const p of plan) {
    const rs = all.get(p.label)!.sort((x, y) => x.wallMs - y.wallMs);
    const median = rs[Math.floor((rs.length - 1) / 2)]!;
    rounds.push({ ...median, walls: rs.map((r) => r.wallMs) });
  }

  const report = render({ started, m, commit, pgVersion, pgConf, busyAtStart, migrateMs, poolMax, invalidKeys, rounds });
  console.log(`\n${report}`);
  mkdirSync(path.dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${report}\n`);
  console.log(`Written to ${path.relative(ROOT, OUT)}.`);
}

/**
 * CPU (cores, averaged over `seconds`) that processes outside the sweep used between two snapshots: not
 * `ours` or their descendants, not the PostgreSQL processes serving this database (`pgServing`: its
 * backends and the server's own, e.g. the WAL writer); PostgreSQL backends of other databases count.
 * A lower bound (processes that came and went in between are missed). Also the three biggest, by name.
 */
function otherWork(a: CpuSnapshot, b: CpuSnapshot, ours: number[], pgServing: Set<number>, seconds: number): { cores: number; kernelCores: number; top: string } {
  const mine = new Set<number>(ours);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of b) {
      if (!mine.has(pid) && mine.has(p.ppid)) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  const postmaster = [...b].find(([, p]) => p.comm === "postgres" && b.get(p.ppid)?.comm !== "postgres")?.[0];
  const byName = new Map<string, number>();
  let kernelMs = 0;
  for (const [pid, p] of b) {
    if (mine.has(pid) || pgServing.has(pid) || pid === postmaster) continue;
    const before = a.get(pid);
    // a kernel worker's name changes with its work item: same pid, same process
    const ms = before && before.ms <= p.ms ? p.ms - before.ms : p.ms;
    if (ms <= 0) continue;
    // kernel threads (pid 2's children) do the I/O and networking of every process, this sweep's included
    if (p.ppid === 2 || pid === 2) {
      kernelMs += ms;
      continue;
    }
    const name = p.comm === "postgres" ? "postgres (other databases)" : p.comm;
    byName.set(name, (byName.get(name) ?? 0) + ms);
  }
  const total = [...byName.values()].reduce((x, y) => x + y, 0);
  const top = [...byName]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 3)
    .filter(([, ms]) => ms / 1000 / seconds >= 0.05)
    .map(([name, ms]) => `${name} ${fmt(ms / 1000 / seconds)}`)
    .join(", ");
  return { cores: total / 1000 / seconds, kernelCores: kernelMs / 1000 / seconds, top };
}

/** Concurrency 1 only: one worker, so the clock calls between two tests split each check exactly. */
function breakdownOf(
  ticks: { start: number; end: number }[],
  clockCalls: number[],
  tests: { s: number; e: number; ok: boolean }[],
): Breakdown {
  // checkOne calls clock() for the claim (its next-check time and fence) right before the claim's UPDATE, and
  // again (schedule, fence) right after the test, before recordKeyCheck; whatever the scheduler does next
  // (the next claim, a lease check, listing the next batch) calls clock() again. So: the last clock call before
  // a test starts its claim; the first clock call after a gap (> 0.1 ms, a database round trip) following the
  // test's end ends its record.
  const claim: number[] = [];
  const test: number[] = [];
  const record: number[] = [];
  const recordAlert: number[] = [];
  const total: number[] = [];
  let ci = 0;
  for (const tk of ticks) {
    const inTick = tests.filter((t) => t.s >= tk.start && t.e <= tk.end);
    for (let i = 0; i < inTick.length; i++) {
      const t = inTick[i]!;
      while (ci < clockCalls.length && clockCalls[ci]! < t.s) ci++;
      const claimStart = clockCalls[ci - 1]!;
      const next = inTick[i + 1];
      const c = t.s - claimStart;
      claim.push(c);
      test.push(t.e - t.s);
      if (!next) continue; // the tick's last check: its record's end is not seen
      let recordEnd: number | undefined;
      let prev = t.e;
      for (let j = ci; j < clockCalls.length && clockCalls[j]! <= next.s; j++) {
        const at = clockCalls[j]!;
        if (at <= t.e) continue;
        if (at - prev > 0.1) {
          recordEnd = at;
          break;
        }
        prev = at;
      }
      if (recordEnd === undefined) continue;
      const r = recordEnd - t.e;
      (t.ok ? record : recordAlert).push(r);
      total.push(c + (t.e - t.s) + r);
    }
  }
  return { samples: total.length, claim: p50p95(claim), test: p50p95(test), record: p50p95(record), total: p50p95(total), recordAlert: recordAlert.length ? p50p95(recordAlert) : null };
}

// ---------------------------------------------------------------------------------------------
// Report

function render(a: {
  started: Date;
  m: ReturnType<typeof machine>;
  commit: string;
  pgVersion: string;
  pgConf: Record<string, string>;
  busyAtStart: number;
  migrateMs: number;
  poolMax: number;
  invalidKeys: number;
  rounds: Round[];
}): string {
  const L: string[] = [];
  const { m } = a;
  L.push(`# Background health checks: one sweep over ${fmtInt(KEYS)} stored keys`, "");
  L.push(`Command: \`npm run bench:sweep${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(" ")}` : ""}\` · ${a.started.toISOString().replace("T", " ").slice(0, 16)} UTC · commit ${a.commit}`, "");
  L.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${fmt(m.ramGiB)} GiB RAM, Node ${m.node}, ${m.kernel}; PostgreSQL ${a.pgVersion} on the same machine (fsync ${a.pgConf.fsync}, synchronous_commit ${a.pgConf.synchronous_commit}, shared_buffers ${a.pgConf.shared_buffers} × 8 kB).`,
    "",
  );
  L.push(
    `Setup: \`HealthScheduler.tick()\` (lib/key-health/scheduler.ts, what the app and \`npm run worker\` run) driven in the bench process against a fresh PostgreSQL database ` +
      `(DATABASE_POOL_MAX=${a.poolMax}, no Redis, NODE_ENV=production, LOG_LEVEL=warn) and the fake provider in its own process on loopback. ` +
      `${fmtInt(KEYS)} custom-endpoint rows with distinct Fernet-encrypted keys, ${a.invalidKeys} of which the fake rejects (401: unhealthy, one alert each); no webhooks. ` +
      `Each round: every key due, a new scheduler (interval 900 s, tick 30 s as the runner derives them), \`tick()\` called back to back until every key has exactly one scheduled ` +
      `health_checks row (checked afterwards, and one more tick finds nothing due); then keys, history and alerts are reset and vacuumed for the next round. ` +
      `A warm-up sweep over ${fmtInt(Math.min(WARMUP_KEYS, KEYS))} keys ran first and is not reported. ` +
      (REPEAT > 1 ? `Each configuration was swept ${REPEAT} times (interleaved); the rows are the median sweep by wall time, with the range of all ${REPEAT}. ` : "") +
      `Before each sweep the bench waited (up to ${fmtInt(WAIT_QUIET_S / 5)} s) for the machine to be under 25% busy. ` +
      (NICE !== 0 ? `The bench and the fake provider ran at nice ${NICE} (PostgreSQL at its own priority). ` : "") +
      `Each check is the scheduler's own: claim (a fenced UPDATE of next_check_at), decrypt and key test over HTTP (a new connection per check: ` +
      `custom endpoints are pinned to their checked address, so no keep-alive), then recordKeyCheck → writeKeyCheck (lib/db/queries/key-checks.ts) writes status, history and any alert.`,
    "",
  );
  const disturbed = a.rounds.filter((r) => r.foreignCores >= 0.1);
  L.push(
    `Other work on the machine: ${fmtInt(a.busyAtStart * 100)}% of the CPU was busy just before the run` +
      (disturbed.length
        ? `; **during the reported sweeps other processes used CPU: ${disturbed.map((r) => `${r.label} ${fmt(r.foreignCores)} cores (${r.foreignTop})`).join("; ")} (of ${a.m.cores} cores): those rows are disturbed.**`
        : "; nothing else used a notable share during the reported sweeps.") +
      ` Kernel threads (I/O such as the WAL's writeback, networking; for every process, this sweep's included) used ` +
      `${a.rounds.map((r) => `${r.label} ${fmt(r.kernelCores)}`).join(", ")} cores.`,
    "",
  );

  L.push("## One sweep", "");
  L.push(
    "| concurrency | provider latency | ticks | wall | checks/s | provider ms p50 / p95 | worker ms per check (mean) | beyond the provider (mean) | CPU ours | CPU PostgreSQL | CPU fake | peak RSS | alerts |",
    "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
  );
  for (const r of a.rounds) {
    const cpuOurs = r.cpuUserMs + r.cpuSystemMs;
    L.push(
      `| ${r.concurrency} | ${r.latencyMs} ms | ${r.ticks.length} | ${fmt(r.wallMs / 1000, 2)} s${r.walls.length > 1 ? ` (${fmt(Math.min(...r.walls) / 1000, 1)}–${fmt(Math.max(...r.walls) / 1000, 1)})` : ""} | ` +
        `${fmtInt(r.checks / (r.wallMs / 1000))} | ${r.providerP50} / ${r.providerP95} | ` +
        `${fmt(r.perCheckMean)} | ${fmt(r.perCheckMean - r.testKeyMean)} | ${fmtInt(cpuOurs)} ms (${fmt(cpuOurs / r.checks, 2)}/check) | ` +
        `${fmtInt(r.pgCpuMs)} ms (${fmt(r.pgCpuMs / r.checks, 2)}/check) | ${fmtInt(r.fakeCpuMs)} ms | ${fmtInt(r.peakRssMiB)} MiB (${fmtInt(r.rssBeforeMiB)} before) | ${r.alerts} |`,
    );
  }
  L.push("");
  L.push(
    "Columns: *ticks* = calls of `tick()` that checked keys. *wall* = first tick's start to the last check written (ticks, if more than one, back to back). " +
      "*provider ms* = latency_ms of the history rows (the key test's own measure of the provider's answer). " +
      "*worker ms per check* = concurrency × (time from each tick's first key test to its end) ÷ checks: what one check occupies a worker, claim + test + record (Little's law; slightly high, as workers idle at the end of each batch); " +
      "*beyond the provider* = that minus the mean time inside the key test (URL check, HTTP, parsing). " +
      "*CPU ours* = process.cpuUsage() of the bench process (the scheduler, drizzle/postgres.js, decryption, HTTP client); " +
      `*CPU PostgreSQL* = utime+stime of this database's backends (the app's ${a.poolMax}-connection pool; WAL writer and checkpointer not counted); *CPU fake* = the fake provider's process. ` +
      "*peak RSS* = the bench process's VmHWM during the sweep (reset before it).",
    "",
  );

  L.push("## Ticks", "");
  L.push(
    "| concurrency | provider latency | checks per tick | tick duration | tick start to first key test (lease, schedule, list due, first claim) | as the runner would run it (30 s between ticks) |",
    "|--:|--:|--:|--:|--:|--:|",
  );
  for (const r of a.rounds) {
    const runner = sum(r.ticks.map((t) => t.ms)) + (r.ticks.length - 1) * TICK_MS;
    L.push(
      `| ${r.concurrency} | ${r.latencyMs} ms | ${r.ticks.map((t) => t.checked).join(" + ")} | ${r.ticks.map((t) => `${fmt(t.ms / 1000, 2)} s`).join(" + ")} | ` +
        `${r.ticks.map((t) => `${fmt(t.setupMs)} ms`).join(" + ")} | ${fmt(runner / 1000, 1)} s |`,
    );
  }
  L.push("");

  const b = a.rounds.find((r) => r.breakdown);
  if (b?.breakdown) {
    const d = b.breakdown;
    const pp = ([x, y]: [number, number]) => `${fmt(x, 2)} / ${fmt(y, 2)}`;
    L.push(`## One check, step by step (concurrency ${b.concurrency}, provider latency ${b.latencyMs} ms)`, "");
    L.push("With one worker, the scheduler's clock calls and the key test's start and end split each check; ms, p50 / p95.", "");
    L.push("| step | p50 / p95 ms |", "|---|--:|");
    L.push(`| claim: fenced UPDATE of next_check_at | ${pp(d.claim)} |`);
    L.push(`| key test (runKeyTest): URL check, GET /models on the fake over a new connection, classify | ${pp(d.test)} |`);
    L.push(`| record (recordKeyCheck), healthy keys | ${pp(d.record)} |`);
    if (d.recordAlert) L.push(`| record, rejected keys (each raised an alert: alert row, webhooks read) | ${pp(d.recordAlert)} |`);
    L.push(`| whole check (${fmtInt(d.samples)} checks; each tick's last one has no visible end) | ${pp(d.total)} |`);
    L.push("");
  }

  L.push("## Notes", "");
  for (const n of notes(a.rounds, a.poolMax, a.m.cores)) L.push(`- ${n}`);
  L.push("");
  return L.join("\n");
}

function notes(rounds: Round[], poolMax: number, cores: number): string[] {
  const out: string[] = [];
  const cpuOf = (r: Round) => r.cpuUserMs + r.cpuSystemMs;
  const maxTicks = Math.max(...rounds.map((r) => r.ticks.length));
  out.push(
    maxTicks === 1
      ? `Every sweep of ${fmtInt(KEYS)} due keys finished in one \`tick()\`: no batch waited for the runner's next tick (${TICK_MS / 1000} s at the default 900 s interval).`
      : `Some sweeps took ${maxTicks} ticks: the real runner waits ${TICK_MS / 1000} s (at the default 900 s interval) after each tick, so the last batch of such a backlog waits ` +
          `${((maxTicks - 1) * TICK_MS) / 1000} s more (see *as the runner would run it*).`,
  );
  for (const lat of [...new Set(rounds.map((r) => r.latencyMs))]) {
    const rs = rounds.filter((r) => r.latencyMs === lat && r.concurrency > 1).sort((x, y) => x.concurrency - y.concurrency);
    if (rs.length >= 2) {
      const lo = rs[0]!;
      const hi = rs[rs.length - 1]!;
      out.push(
        `Provider at ${lat} ms: concurrency ${lo.concurrency} → ${hi.concurrency} took the sweep from ${fmt(lo.wallMs / 1000, 2)} s to ${fmt(hi.wallMs / 1000, 2)} s ` +
          `(${fmt(lo.wallMs / hi.wallMs, 1)}× faster; the ideal is ${fmt(hi.concurrency / lo.concurrency, 1)}×); CPU per check ${fmt(cpuOf(lo) / lo.checks, 2)} → ${fmt(cpuOf(hi) / hi.checks, 2)} ms here, ` +
          `${fmt(lo.pgCpuMs / lo.checks, 2)} → ${fmt(hi.pgCpuMs / hi.checks, 2)} ms in PostgreSQL.`,
      );
    }
  }
  const fastest = rounds.reduce((x, y) => (y.checks / y.wallMs > x.checks / x.wallMs ? y : x));
  const cpuPerCheck = (cpuOf(fastest) + fastest.pgCpuMs + fastest.fakeCpuMs) / fastest.checks;
  out.push(
    `CPU per check, all three processes, in the fastest sweep (concurrency ${fastest.concurrency}, ${fastest.latencyMs} ms): ${fmt(cpuPerCheck, 2)} ms ` +
      `(checker ${fmt(cpuOf(fastest) / fastest.checks, 2)}, PostgreSQL backends ${fmt(fastest.pgCpuMs / fastest.checks, 2)}, fake provider ${fmt(fastest.fakeCpuMs / fastest.checks, 2)}). ` +
      `On ${cores} cores that caps this machine near ${fmtInt((cores * 1000) / cpuPerCheck)} checks/s; it did ${fmtInt(fastest.checks / (fastest.wallMs / 1000))}.`,
  );
  for (const r of rounds.filter((x) => x.latencyMs > 0)) {
    const rate = r.checks / (r.wallMs / 1000);
    out.push(
      `Concurrency ${r.concurrency} with a ${r.latencyMs} ms provider: ${fmtInt(rate)} checks/s, i.e. about ${fmtInt(rate * (INTERVAL_MS / 1000))} keys per 900 s interval ` +
        `with the checker busy all the time; ${fmtInt(KEYS)} keys keep it busy ${fmt((100 * r.wallMs) / INTERVAL_MS, 1)}% of the interval.`,
    );
  }
  if (rounds.some((r) => r.concurrency > poolMax)) {
    out.push(`Concurrency above DATABASE_POOL_MAX (${poolMax}) shares the pool: at most ${poolMax} database statements or transactions of the checker run at once; the others queue in postgres.js.`);
  }
  const lost = rounds.filter((r) => r.notRecorded > 0 || r.missing > 0);
  const longestOf = (r: Round) => Math.max(...r.ticks.map((t) => t.ms));
  const worst = rounds.reduce((x, y) => (longestOf(y) > longestOf(x) ? y : x));
  out.push(
    (lost.length
      ? `**Checks refused by the lease fence: ${lost.map((r) => `concurrency ${r.concurrency} at ${r.latencyMs} ms: ${r.notRecorded} results not recorded, ${r.missing} keys left without a result until their next interval`).join("; ")}.** `
      : "No check was refused by the lease fence. ") +
      `The longest tick took ${fmt(longestOf(worst) / 1000, 1)} s (concurrency ${worst.concurrency}, ${worst.latencyMs} ms); the lease a tick takes lasts tickMs × 3 + 30 s = ${(TICK_MS * 3 + 30_000) / 1000} s.`,
  );
  return out;
}

runBench(main, cleanup);
