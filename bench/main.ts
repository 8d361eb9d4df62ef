/**
 * `npm run bench [-- options]`: builds the app into .next-bench (when the sources are newer than the
 * build), starts it with `next start` against a fresh PostgreSQL database, Redis db 9 and the
 * loopback fake provider, starts the bare baseline (bench/baseline.ts) in its own process, drives
 * both with autocannon, and prints the results, also written to bench/results.md.
 *
 *   --soak              add a steady-load soak (5 minutes) that reports the app's RSS growth
 *   --soak-minutes N    soak length (implies --soak)
 *   --duration S        seconds per measurement (default 4), after a 1 s warm-up per scenario
 *   --only REGEX        run only the scenarios whose key matches (e.g. "list|health"); the report
 *                       then goes to bench/tmp/results-partial.md, never over bench/results.md
 *   --rebuild           build even when .next-bench looks current
 *   --wait-quiet S      wait up to S seconds (default 180) for other work on the machine to finish
 *   --profile           serve the app under `node --cpu-prof` (its server.mjs, or bench/profile-server.mjs
 *                       for a checkout started with `next start`); the profile lands in bench/tmp/prof/ when it stops
 *   --nice N            run the bench, app, baseline and fake provider at this scheduling priority
 *                       (e.g. -10: on a machine shared with other work, they get the CPU first)
 *   --node-options S    NODE_OPTIONS for the app (e.g. "--max-old-space-size=192"); said in the report
 *   --app-env K=V       another variable for the app (repeatable, e.g. MALLOC_ARENA_MAX=2); said too
 *   --app-dir DIR       benchmark the app in another checkout (e.g. an export of an older commit,
 *                       with node_modules linked), for before/after comparisons in the same conditions
 *   --reference DIR     also run the Python service the app replaces (DIR holds its run.py, e.g.
 *                       ../shared/reference-service; bench/reference.ts) beside the app and add a
 *                       side-by-side table (bench/side-by-side.ts); its rows' keys start with "vs-"
 *   --rounds N          samples per side of each side-by-side row (default 3), interleaved
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Redis from "ioredis";
import postgres from "postgres";
import { createKeyring } from "../lib/crypto/keyring";
import { startCommand } from "../test/support/app-process";
import { runNpmScriptOk } from "../test/support/cli";
import { benchFernet, type FernetResult } from "./fernet";
import { buildIfNeeded, cleanEnv } from "./app-build";
import { runLoad, type LoadResult, type LoadSpec } from "./load";
import { checkReferenceDir, type ListedRow, type Reference, referenceSide, saveReferenceKeys, seedReferenceRows, startReference } from "./reference";
import { runSideBySide, type Side, sideBySideReport, vsRows } from "./side-by-side";
import { drawReport, drawUsageTab } from "./usage-browser";
import { generateYearOfRollups, HUB_KEYS, MODELS, PAIRS_PER_HOUR } from "./usage-rollups";
import {
  type Child,
  cpuSnapshot,
  dropDatabase,
  foreignCores,
  freePort,
  gitCommit,
  machine,
  listenerPid,
  machineBusy,
  memoryOf,
  resetPeakRss,
  runBench,
  settle,
  spawnApp,
  spawnLogged,
  stopChild,
  waitForHttp,
  waitReady,
} from "./procs";


const PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const REDIS_URL = "redis://127.0.0.1:6379/9";
/** The reference's sessions: a db of its own (the test suites use 7, 8 and 10, the bench 9). */
const REF_REDIS_URL = "redis://127.0.0.1:6379/11";
/** The bare floor's own (its tokens and lease registry apart from the app's: one instance each). */
const BASELINE_REDIS_URL = "redis://127.0.0.1:6379/12";
const KEY_TESTS_PER_MINUTE = "1000000";
const KEYS = "/api/v1/llm/providers/keys";
const CONNECTIONS = [1, 32];
const LIST_ROWS = 1000;
const DELETE_POOL = 15_000;
const GZIP = { "accept-encoding": "gzip, deflate, br" };
const TMP = path.resolve("bench/tmp");
const ROOT = process.cwd();
const NODE_TSX = ["--import", "tsx"];

const { values: opts } = parseArgs({
  options: {
    soak: { type: "boolean", default: false },
    "soak-minutes": { type: "string" },
    duration: { type: "string", default: "4" },
    warmup: { type: "string", default: "1" },
    only: { type: "string" },
    rebuild: { type: "boolean", default: false },
    "wait-quiet": { type: "string", default: "180" },
    profile: { type: "boolean", default: false },
    "app-dir": { type: "string" },
    nice: { type: "string", default: "0" },
    "node-options": { type: "string" },
    "app-env": { type: "string", multiple: true },
    reference: { type: "string" },
    rounds: { type: "string", default: "3" },
  },
});
const DURATION = Number(opts.duration);
const WARMUP = Number(opts.warmup);
const APP_DIR = path.resolve(opts["app-dir"] ?? ROOT);
/** `npm start`'s command (its Node flags: the heap limit): the app is measured as it is run. */
const START = startCommand(APP_DIR);
const SOAK_MINUTES = opts["soak-minutes"] ? Number(opts["soak-minutes"]) : opts.soak ? 5 : 0;
const NICE = Number(opts.nice);
const APP_ENV = Object.fromEntries((opts["app-env"] ?? []).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
const ONLY = opts.only ? new RegExp(opts.only) : null;
const REFERENCE_DIR = opts.reference ? path.resolve(opts.reference) : null;
const VS_ROWS = REFERENCE_DIR ? vsRows().filter((r) => !ONLY || ONLY.test(r.key)) : [];

// ---------------------------------------------------------------------------------------------
// Scenarios

interface Scenario {
  key: string;
  label: string;
  target: "app" | "baseline" | "fake";
  /** Connection counts (default: 1 and 32). */
  connections?: number[];
  spec: () => Omit<LoadSpec, "url" | "connections" | "duration">;
  /** Runs with the ${LIST_ROWS} extra custom rows in the table. */
  longList?: boolean;
  before?: () => Promise<void>;
  after?: () => Promise<void>;
  note?: string;
}

interface Row {
  scenario: Scenario;
  results: LoadResult[];
  /** CPU cores other processes on the machine used meanwhile (a lower bound). */
  foreign: number;
  /** The server's peak RSS during this scenario, MiB (VmHWM after a reset). */
  peakRss: number;
}

interface Ctx {
  appUrl: string;
  baseUrl: string;
  fakeUrl: string;
  cookie: string;
  sql: postgres.Sql;
  encryptionKey: string;
  admin: { email: string; password: string };
}

function scenarios(c: Ctx): Scenario[] {
  const auth = { cookie: c.cookie };
  const jsonAuth = { ...auth, "content-type": "application/json" };
  const fakeLatency = (ms: number) => async () => void (await fetch(`${c.fakeUrl}/__fake/latency?ms=${ms}`, { method: "POST" }));
  let saveN = 0;
  const saveSalt = randomBytes(6).toString("hex");
  let deleteIds: string[] = [];
  let deleteNext = 0;
  const list = (headers: Record<string, string> = {}) => () => ({ path: KEYS, headers: { ...auth, ...headers } });
  // the Usage tab's data request as the page sends it: a preset range ends at the end of the current hour
  let rollups: Promise<unknown> | null = null;
  const yearOfRollups = () =>
    (rollups ??= generateYearOfRollups(c.sql).then((r) =>
      console.log(`  usage rollups: ${fmtInt(r.hourly)} hourly, ${fmtInt(r.daily)} daily rows (${HUB_KEYS} hub keys × ${MODELS} models, ${PAIRS_PER_HOUR} pairs an hour, a year) in ${fmt(r.seconds, 1)} s`),
    ));
  const dashboard = (hours: number, groupBy: string) => () => {
    const end = Math.floor(Date.now() / 3600_000) * 3600_000 + 3600_000;
    const q = new URLSearchParams({ from: new Date(end - hours * 3600_000).toISOString(), to: new Date(end).toISOString(), group_by: groupBy });
    return { path: `/api/v1/llm/usage/dashboard?${q}`, headers: auth };
  };
  const usageRow = (key: string, label: string, hours: number, groupBy: string, note?: string): Scenario => ({ key, label, target: "app", connections: [1], spec: dashboard(hours, groupBy), before: async () => void (await yearOfRollups()), note });
  return [
    { key: "health", label: "GET /api/health (framework floor)", target: "app", spec: () => ({ path: "/api/health" }), note: "trivial route: what `next start` costs per request" },
    { key: "baseline-health", label: "bare node:http, trivial route", target: "baseline", spec: () => ({ path: "/health" }), note: "what node:http costs per request" },
    { key: "list9", label: "list (9 rows)", target: "app", spec: list() },
    { key: "baseline-list9", label: "list (9 rows), bare baseline", target: "baseline", spec: list() },
    { key: "list9-gzip", label: "list (9 rows), Accept-Encoding: gzip", target: "app", spec: list(GZIP), note: "what a browser sends; Next compresses" },
    { key: "info", label: "info (catalogue)", target: "app", spec: () => ({ path: "/api/v1/llm/providers/info", headers: auth }) },
    {
      key: "list1000",
      label: `list (${LIST_ROWS + 9} rows: ${LIST_ROWS} custom)`,
      target: "app",
      spec: list(),
      longList: true,
    },
    { key: "baseline-list1000", label: `list (${LIST_ROWS + 9} rows), bare baseline`, target: "baseline", spec: list(), longList: true },
    {
      key: "list1000-gzip",
      label: `list (${LIST_ROWS + 9} rows), Accept-Encoding: gzip`,
      target: "app",
      spec: list(GZIP),
      longList: true,
    },
    {
      key: "fake0",
      label: "fake provider alone: GET /openai/v1/models, at once",
      target: "fake",
      connections: [1],
      spec: () => ({ path: "/openai/v1/models", headers: { authorization: "Bearer sk-bench-direct-probe-0123456789" } }),
      before: fakeLatency(0),
      note: "the provider's own time in the test rows below (its `at once` is a 0 ms timer: ~1 ms)",
    },
    {
      key: "test0",
      label: "test stored key, provider answers at once",
      target: "app",
      spec: () => ({ method: "POST", path: `${KEYS}/test`, headers: jsonAuth, body: JSON.stringify({ provider_type: "openai", api_key: null }) }),
      before: fakeLatency(0),
      note: "OpenAI row: decrypt, Redis limit, GET /models on the fake, result + health row + audit",
    },
    {
      key: "fake100",
      label: "fake provider alone, 100 ms latency",
      target: "fake",
      connections: [1],
      spec: () => ({ path: "/openai/v1/models", headers: { authorization: "Bearer sk-bench-direct-probe-0123456789" } }),
      before: fakeLatency(100),
      after: fakeLatency(0),
    },
    {
      key: "test100",
      label: "test stored key, provider takes 100 ms",
      target: "app",
      spec: () => ({ method: "POST", path: `${KEYS}/test`, headers: jsonAuth, body: JSON.stringify({ provider_type: "openai", api_key: null }) }),
      before: fakeLatency(100),
      after: fakeLatency(0),
    },
    {
      key: "save",
      label: "save (distinct Groq key each request, upsert)",
      target: "app",
      spec: () => ({
        setupRequest: (req) => ({
          ...req,
          method: "POST",
          path: KEYS,
          headers: jsonAuth,
          body: JSON.stringify({ provider_type: "groq", api_key: `gsk_bench${saveSalt}${(saveN++).toString(16).padStart(10, "0")}x9Yq2LmZ7r` }),
        }),
      }),
      before: fakeLatency(0),
      note: "test on the instant fake, encrypt, upsert, health row, duplicate check, audit",
    },
    {
      key: "delete",
      label: "delete (a different custom row each request)",
      target: "app",
      spec: () => ({
        setupRequest: (req) => ({
          ...req,
          method: "DELETE",
          // past the pool: a well-formed id that does not exist (404, counted as an error)
          path: `${KEYS}/${deleteIds[deleteNext++] ?? "00000000-0000-4000-8000-000000000000"}`,
          headers: auth,
        }),
      }),
      before: async () => {
        deleteIds = await insertCustomRows(c, "bench delete", DELETE_POOL);
        deleteNext = 0;
      },
      after: async () => void (await c.sql`delete from provider_keys where slug like 'custom:bench delete %'`),
      note: `${DELETE_POOL.toLocaleString("en")} custom rows with keys inserted beforehand`,
    },
    {
      key: "signin",
      label: "sign-in (scrypt N=2^15)",
      target: "app",
      // one account: an attempt holds a unit of its 10-per-account budget until its password is
      // checked, so more than 10 at once would measure 429s
      connections: [1, 8],
      spec: () => ({
        method: "POST",
        path: "/api/v1/auth/login",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(c.admin),
      }),
      note: "slow by design: scrypt runs on libuv's 4 threads",
    },
    usageRow("usage-7d", "Usage tab data request: 7 days by provider (the tab's default)", 24 * 7, "provider", "a year of rollups in the table; hourly chart"),
    usageRow("usage-24h", "Usage tab data request: 24 hours by model", 24, "model"),
    usageRow("usage-30d", "Usage tab data request: 30 days by hub key", 24 * 30, "hub_key", "daily chart"),
    usageRow("usage-365d", "Usage tab data request: 365 days by model (custom range)", 24 * 365, "model"),
  ];
}

// ---------------------------------------------------------------------------------------------
// Data

/** Custom endpoints with realistic columns, inserted directly in SQL; returns their ids. */
async function insertCustomRows(c: Ctx, prefix: string, n: number): Promise<string[]> {
  const keyring = createKeyring([c.encryptionKey]);
  const statuses = ["healthy", "healthy", "healthy", "degraded", "unhealthy", "unknown"] as const;
  const now = Date.now();
  const rows = Array.from({ length: n }, (_, i) => {
    const label = `${prefix} ${String(i).padStart(5, "0")}`;
    const key = `sk-${randomBytes(24).toString("base64url")}`;
    const { token, keyId } = keyring.encrypt(key);
    const health = statuses[i % statuses.length]!;
    const tested = health !== "unknown";
    const ok = health === "healthy";
    return {
      slug: `custom:${label}`,
      provider_type: "custom",
      name: label.replace(/^bench/, "Bench"),
      encrypted_key: token,
      encryption_key_id: keyId,
      key_preview: `${key.slice(0, 7)}...${key.slice(-4)}`,
      key_fingerprint: keyring.fingerprint(key),
      enabled: i % 10 !== 0,
      priority: i % 7,
      config: { base_url: `http://10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:8000/v1` },
      health_status: health,
      test_status: tested ? (ok ? "success" : "failed") : null,
      last_tested: tested ? new Date(now - i * 60_000).toISOString() : null,
      last_test: tested
        ? ok
          ? { latency_ms: 120 + (i % 300), models_found: 3 + (i % 40), error: null, error_code: null, status_code: 200 }
          : { latency_ms: 80 + (i % 50), models_found: null, error: "The endpoint answered with an error (HTTP 502).", error_code: "provider_error", status_code: 502 }
        : null,
      updated_by: "bench-admin@example.com",
    };
  });
  const cols = Object.keys(rows[0]!);
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = JSON.stringify(rows.slice(i, i + 5000));
    const out = await c.sql.unsafe(
      `insert into provider_keys (${cols.join(", ")}) select ${cols.join(", ")} from json_populate_recordset(null::provider_keys, $1::text::json) returning id`,
      [chunk],
    );
    for (const r of out) ids.push(r.id as string);
  }
  return ids;
}

function runUsersAdd(env: Record<string, string>, email: string, password: string): Promise<unknown> {
  return runNpmScriptOk("users", ["add", "--email", email, "--role", "admin"], { env, input: `${password}\n`, cwd: APP_DIR, timeoutMs: 180_000 });
}

/** Linux keeps a nice value per thread: set it on every thread of the process. */
function reniceAll(pid: number, nice: number): void {
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      os.setPriority(Number(tid), nice);
    } catch {
      // the thread ended
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
const fmtInt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en") : "–");

interface Target {
  what: string;
  goal: string;
  measured: string;
  met: boolean | null;
}

function find(rows: Row[], key: string, conns: number): LoadResult | undefined {
  return rows.find((r) => r.scenario.key === key)?.results.find((x) => x.connections === conns);
}

function targets(rows: Row[], mem: Memory, soak: SoakResult | null): Target[] {
  const t: Target[] = [];
  const add = (what: string, goal: string, value: number | undefined, ok: (v: number) => boolean, show: (v: number) => string) =>
    t.push({ what, goal, measured: value === undefined || !Number.isFinite(value) ? "not measured" : show(value), met: value === undefined || !Number.isFinite(value) ? null : ok(value) });
  const ms = (v: number) => `${fmt(v)} ms`;
  add("list, 1 connection", "p50 ≤ 1.5 ms", find(rows, "list9", 1)?.p50, (v) => v <= 1.5, ms);
  add("list, 32 connections", "≥ 2,000 req/s", find(rows, "list9", 32)?.rps, (v) => v >= 2000, (v) => `${fmtInt(v)} req/s`);
  add("list, 32 connections", "p99 ≤ 30 ms", find(rows, "list9", 32)?.p99, (v) => v <= 30, ms);
  const ratio = (find(rows, "list9", 32)?.rps ?? NaN) / (find(rows, "baseline-list9", 32)?.rps ?? NaN);
  add("list throughput vs bare baseline, 32 connections", "≥ 50%", ratio, (v) => v >= 0.5, (v) => `${fmt(v * 100, 0)}%`);
  add(`list over ${LIST_ROWS} rows, 1 connection`, "p50 ≤ 15 ms", find(rows, "list1000", 1)?.p50, (v) => v <= 15, ms);
  // "Our overhead": the app's p50 minus the fake provider's own p50 measured alone in the same run.
  const fake0 = find(rows, "fake0", 1)?.p50 ?? NaN;
  const fake100 = find(rows, "fake100", 1)?.p50 ?? NaN;
  const over = (key: string, fake: number) => {
    const v = find(rows, key, 1)?.p50;
    return v === undefined ? undefined : v - fake;
  };
  const beyond = (key: string, fake: number) => (v: number) => `${fmt(v)} ms (p50 ${fmt(find(rows, key, 1)!.p50)} ms − provider alone ${fmt(fake)} ms)`;
  add("test overhead (instant provider), 1 connection", "p50 ≤ 2 ms", over("test0", fake0), (v) => v <= 2, beyond("test0", fake0));
  add("test overhead (100 ms provider), 1 connection", "p50 ≤ 2 ms", over("test100", fake100), (v) => v <= 2, beyond("test100", fake100));
  add("save beyond the provider's time, 1 connection", "p50 ≤ 5 ms", over("save", fake0), (v) => v <= 5, beyond("save", fake0));
  add("delete, 1 connection", "p50 ≤ 2 ms", find(rows, "delete", 1)?.p50, (v) => v <= 2, ms);
  add("Usage tab data request (7 days, a year of rollups), 1 connection", "p50 ≤ 200 ms", find(rows, "usage-7d", 1)?.p50, (v) => v <= 200, ms);
  add("app peak RSS (VmHWM)", "≤ 300 MB", mem.hwm, (v) => v <= 300, (v) => `${fmt(v, 0)} MiB`);
  add("RSS growth through the soak", "≤ 10%", soak ? soak.growth * 100 : undefined, (v) => v <= 10, (v) => `${fmt(v, 1)}% (${fmt(soak!.startRss, 0)} → ${fmt(soak!.endRss, 0)} MiB over ${soak!.minutes} min)`);
  return t;
}

interface Memory {
  pid: number;
  afterStart: number;
  afterSuite: number;
  hwm: number;
}

interface SoakResult {
  minutes: number;
  connections: number;
  result: LoadResult;
  samples: { t: number; rss: number }[];
  startRss: number;
  endRss: number;
  maxRss: number;
  afterOneMinute: number;
  growth: number;
}

function report(a: {
  started: Date;
  finished: Date;
  build: string;
  m: ReturnType<typeof machine>;
  versions: { pg: string; redis: string; next: string };
  rows: Row[];
  mem: Memory;
  soak: SoakResult | null;
  fernet: FernetResult;
  identical: string[];
  busyAtStart: number;
  sideBySide: string | null;
  usageBrowser: string | null;
}): string {
  const { m, rows } = a;
  const L: string[] = [];
  L.push("# LLM Hub benchmark", "");
  const flags = [SOAK_MINUTES ? "--soak" : "", opts.reference ? `--reference ${opts.reference}` : ""].filter(Boolean).join(" ");
  L.push(`Command: \`npm run bench${flags ? ` -- ${flags}` : ""}\` · ${a.started.toISOString().replace("T", " ").slice(0, 16)} UTC · commit ${gitCommit()}${APP_DIR !== ROOT ? ` · app from ${APP_DIR}` : ""}`, "");
  L.push(`Machine: ${m.cpu}, ${m.cores} cores, ${fmt(m.ramGiB, 1)} GiB RAM, Node ${m.node}, ${m.kernel}; PostgreSQL ${a.versions.pg}, Redis ${a.versions.redis}, Next.js ${a.versions.next}.`, "");
  L.push(
    "Setup: the production build (`npm start`, NODE_ENV=production, LOG_LEVEL=info, log to a file) against a fresh PostgreSQL database and Redis db 9, " +
      "on the same machine as the load generator (autocannon, in the bench process), PostgreSQL, Redis and the fake provider (its own process, loopback). " +
      `**KEY_TESTS_PER_MINUTE=${KEY_TESTS_PER_MINUTE}** so that test and save are not rate-limited; background key checks off (HEALTH_CHECK_INTERVAL_SECONDS=0). ` +
      `Each scenario: ${WARMUP} s warm-up at 32 connections, then ${DURATION} s at 1 and ${DURATION} s at 32 connections, keep-alive, no pipelining. ` +
      "Latencies are of 2xx responses, exact (not bucketed); errors are non-2xx responses plus socket errors and timeouts. " +
      "Requests carry no Accept-Encoding unless the row says so (so no compression, like the baseline). " +
      (NICE !== 0 ? `The bench, app, baseline${VS_ROWS.length ? ", reference service" : ""} and fake provider ran at nice ${NICE} (the machine was shared with other work). ` : "") +
      `Started as \`npm start\` starts it: \`node ${START.args.map((a) => (a.endsWith("/next") ? "next" : a)).join(" ")}\`${opts["node-options"] ? `, with NODE_OPTIONS=${opts["node-options"]}` : ""}. ` +
      (Object.keys(APP_ENV).length ? `App environment also: ${Object.entries(APP_ENV).map(([k, v]) => `${k}=${v}`).join(", ")}. ` : "") +
      `Build: ${a.build}.`,
    "",
  );
  const disturbed = rows.filter((r) => r.foreign > 0.1);
  L.push(
    `Other work on the machine: ${fmt(a.busyAtStart * 100, 0)}% of the CPU was busy just before the run; ` +
      (disturbed.length
        ? `**other processes used CPU during ${disturbed.map((r) => `${r.scenario.key} (${fmt(r.foreign, 1)} cores)`).join(", ")}: those rows are disturbed.**`
        : "no other process used a noticeable share of the CPU during the measurements."),
    "",
  );
  L.push("| scenario | conns | req/s | p50 ms | p95 ms | p99 ms | errors | vs baseline | peak RSS | notes |", "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|");
  const baselineOf: Record<string, string> = { list9: "baseline-list9", list1000: "baseline-list1000", health: "baseline-health", "list9-gzip": "baseline-list9", "list1000-gzip": "baseline-list1000" };
  for (const row of rows) {
    for (const r of row.results) {
      const b = baselineOf[row.scenario.key] ? find(rows, baselineOf[row.scenario.key]!, r.connections) : undefined;
      const vs = b ? `${fmt((r.rps / b.rps) * 100, 0)}%` : "";
      const notes = [r.connections === CONNECTIONS[0] ? row.scenario.note : "", `${fmtInt(r.bytesPerResponse)} B/resp`].filter(Boolean).join("; ");
      const peak = r.connections === CONNECTIONS[0] ? `${fmt(row.peakRss, 0)} MiB` : "";
      L.push(`| ${row.scenario.label} | ${r.connections} | ${fmtInt(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${r.errors}${r.errors ? ` (${Object.entries(r.statuses).filter(([s]) => Number(s) >= 300).map(([s, n]) => `${n}×${s}`).join(", ")})` : ""} | ${vs} | ${peak} | ${notes} |`);
    }
  }
  L.push("");
  if (a.identical.length) L.push(`Baseline check: ${a.identical.join("; ")}.`, "");
  if (a.sideBySide) L.push(a.sideBySide);
  if (a.usageBrowser) L.push("", a.usageBrowser);
  L.push("## Targets", "", "| target | goal | measured | |", "|---|---|---|---|");
  for (const t of targets(rows, a.mem, a.soak)) L.push(`| ${t.what} | ${t.goal} | ${t.measured} | ${t.met === null ? "–" : t.met ? "met" : "**missed**"} |`);
  L.push("");
  L.push("## Memory", "");
  L.push(`The server process is the one listening on the port (pid ${a.mem.pid}; \`next start\` serves in-process). RSS after start-up ${fmt(a.mem.afterStart, 0)} MiB, after the scenarios ${fmt(a.mem.afterSuite, 0)} MiB, peak (VmHWM) ${fmt(a.mem.hwm, 0)} MiB. ` +
      "The peak RSS column is each scenario's own peak (VmHWM reset through /proc/<pid>/clear_refs before it; the baseline rows are the baseline process's).", "");
  if (a.soak) {
    const s = a.soak;
    L.push(
      `Soak: ${s.minutes} min at ${s.connections} connections, each cycling list → info → test (instant provider) → save: ${fmtInt(s.result.rps)} req/s, p50 ${fmt(s.result.p50)} ms, p99 ${fmt(s.result.p99)} ms, ${s.result.errors} errors. ` +
        `RSS ${fmt(s.startRss, 0)} MiB at the start, ${fmt(s.afterOneMinute, 0)} MiB after 1 min, ${fmt(s.endRss, 0)} MiB at the end (max ${fmt(s.maxRss, 0)} MiB): growth ${fmt(s.growth * 100, 1)}%.`,
      "",
      `RSS samples (MiB, every ${s.samples.length > 1 ? Math.round(s.samples[1]!.t - s.samples[0]!.t) : 0} s): ${s.samples.map((x) => fmt(x.rss, 0)).join(" ")}`,
      "",
    );
  } else {
    L.push("Soak: not run (`npm run bench -- --soak` adds a 5-minute steady-load soak and the RSS growth).", "");
  }
  const f = a.fernet;
  L.push("## Fernet", "", `One ${f.plaintextBytes}-byte provider key, pre-parsed key on both sides, single thread, best of 3 × 0.4 s.`, "");
  L.push("| | encrypt / s | decrypt / s |", "|---|--:|--:|");
  L.push(`| ours (lib/crypto/fernet.ts, node:crypto) | ${fmtInt(f.ours.encrypt)} | ${fmtInt(f.ours.decrypt)} |`);
  L.push(`| \`fernet\` npm package (crypto-js) | ${fmtInt(f.npm.encrypt)} | ${fmtInt(f.npm.decrypt)} |`);
  L.push(`| ratio | ${fmt(f.ours.encrypt / f.npm.encrypt, 1)}× | ${fmt(f.ours.decrypt / f.npm.decrypt, 1)}× |`, "");
  L.push(`Run took ${fmt((a.finished.getTime() - a.started.getTime()) / 60000, 1)} min.`, "");
  return L.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Main

const children: Child[] = [];
let dbName: string | undefined;
let refDbName: string | undefined;
let cleaning: Promise<void> | undefined;

async function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const c of children.reverse()) await stopChild(c).catch(() => {});
    if (dbName) await dropDatabase(PG_ADMIN_URL, dbName);
    if (refDbName) {
      await dropDatabase(PG_ADMIN_URL, refDbName);
      const redis = new Redis(REF_REDIS_URL, { maxRetriesPerRequest: 1 });
      await redis.flushdb().catch((err: Error) => console.error(`could not flush ${REF_REDIS_URL}: ${err.message}`));
      await redis.quit().catch(() => {});
    }
  })();
  return cleaning;
}

// ---------------------------------------------------------------------------------------------
// The reference service, side by side

interface ReferenceRun {
  ref: Reference;
  side: Side;
  sql: postgres.Sql;
}

interface ListedView extends ListedRow {
  id: string;
  key_source: string;
}

async function listOf(url: string, cookie: string): Promise<ListedView[]> {
  const res = await fetch(`${url}${KEYS}`, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`GET ${url}${KEYS}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { providers: ListedView[] }).providers;
}

/**
 * Starts the reference with the app's list: the same rows, the same stored keys (saved through its
 * API), the app's environment key under the variable name it reads (`<NAME>_API_KEY`).
 */
async function setUpReference(c: Ctx, o: { storedKeys: [string, string][]; envKey: string; fakeUrl: string }): Promise<ReferenceRun> {
  const rows = await listOf(c.appUrl, c.cookie);
  const env: Record<string, string> = { ...cleanEnv(), BYOK_ENCRYPTION_KEY: randomBytes(32).toString("base64url") + "=" };
  for (const r of rows) if (r.key_source === "environment") env[`${r.name.toUpperCase().replace(/-/g, "_")}_API_KEY`] = o.envKey;
  const redis = new Redis(REF_REDIS_URL, { maxRetriesPerRequest: 1 });
  await redis.flushdb();
  await redis.quit();
  const port = await freePort();
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${refDbName}`;
  console.log(`Reference service from ${REFERENCE_DIR} (database ${refDbName}, ${REF_REDIS_URL}); log: bench/tmp/reference.log`);
  const ref = await startReference({ dir: REFERENCE_DIR!, port, databaseUrl, redisUrl: REF_REDIS_URL, providerBase: o.fakeUrl, env, logPath: path.join(TMP, "reference.log") });
  children.push(ref.child);
  console.log(`  ${ref.versions}`);
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  await seedReferenceRows(sql, rows);
  await saveReferenceKeys(ref, o.storedKeys);
  return { ref, sql, side: referenceSide(ref, port, refDbName!, sql, env.BYOK_ENCRYPTION_KEY!) };
}

/** The app as the other side: its delete rows' stored keys are custom endpoints, as in the delete scenario. */
function appSide(c: Ctx, rootPid: number, listenPid: number): Side {
  return {
    name: "ours",
    url: c.appUrl,
    cookie: c.cookie,
    database: dbName!,
    rootPid,
    listenPid,
    seedKeys: (n) => insertCustomRows(c, "bench vs", n),
    keysLeft: async (ids) =>
      (await c.sql`select count(*)::int as n from provider_keys where id = any(${c.sql.array(ids)}::uuid[]) and encrypted_key is not null`)[0]!.n as number,
    clearKeys: async () => {
      await c.sql`delete from provider_keys where slug like 'custom:bench vs %'`;
      await c.sql.unsafe("vacuum (analyze) provider_keys");
    },
  };
}

/**
 * Both lists must hold the same rows with the same kind of key before the rows are measured: keys the
 * scenarios above saved in the app (the save scenario's Groq key) are deleted through its API first.
 */
async function alignLists(c: Ctx, r: ReferenceRun, storedTypes: string[]): Promise<void> {
  for (const row of await listOf(c.appUrl, c.cookie)) {
    if (row.key_source !== "database" || storedTypes.includes(row.provider_type)) continue;
    const res = await fetch(`${c.appUrl}${KEYS}/${row.id}`, { method: "DELETE", headers: { cookie: c.cookie } });
    if (res.status !== 200) throw new Error(`deleting the app's ${row.name} key failed: ${res.status} ${await res.text()}`);
  }
  const shape = (rows: ListedView[]) => rows.map((x) => `${x.provider_type} ${x.name}: ${x.key_source}`).sort();
  const [a, b] = [shape(await listOf(c.appUrl, c.cookie)), shape(await listOf(r.ref.url, r.ref.cookie))];
  if (a.join("\n") !== b.join("\n")) throw new Error(`the app and the reference list different rows:\napp:       ${a.join(", ")}\nreference: ${b.join(", ")}`);
}

/** Warm-up, then each connection count; between runs the server finishes what a run left in flight. */
async function measure(s: Scenario, url: string, serverPid: number): Promise<LoadResult[]> {
  const spec = s.spec();
  const counts = s.connections ?? CONNECTIONS;
  if (WARMUP > 0) {
    await runLoad({ ...spec, url, connections: Math.max(...counts), duration: WARMUP });
    await settle(serverPid);
  }
  const out: LoadResult[] = [];
  for (const connections of counts) {
    out.push(await runLoad({ ...spec, url, connections, duration: DURATION }));
    await settle(serverPid);
  }
  return out;
}

async function soak(c: Ctx, pid: number, minutes: number): Promise<SoakResult> {
  const jsonAuth = { cookie: c.cookie, "content-type": "application/json" };
  let n = 0;
  const salt = randomBytes(6).toString("hex");
  const samples: { t: number; rss: number }[] = [];
  const t0 = Date.now();
  const sample = () => samples.push({ t: (Date.now() - t0) / 1000, rss: memoryOf(pid)?.rss ?? NaN });
  sample();
  const timer = setInterval(sample, 10_000);
  const connections = 32;
  const result = await runLoad({
    url: c.appUrl,
    connections,
    duration: minutes * 60,
    requests: [
      { method: "GET", path: KEYS, headers: { cookie: c.cookie } },
      { method: "GET", path: "/api/v1/llm/providers/info", headers: { cookie: c.cookie } },
      { method: "POST", path: `${KEYS}/test`, headers: jsonAuth, body: JSON.stringify({ provider_type: "openai", api_key: null }) },
      {
        setupRequest: (req) => ({
          ...req,
          method: "POST",
          path: KEYS,
          headers: jsonAuth,
          body: JSON.stringify({ provider_type: "groq", api_key: `gsk_soak${salt}${(n++).toString(16).padStart(10, "0")}x9Yq2LmZ7r` }),
        }),
      },
    ],
  });
  clearInterval(timer);
  sample();
  const startRss = samples[0]!.rss;
  const endRss = samples[samples.length - 1]!.rss;
  const afterOneMinute = samples.find((s) => s.t >= 60)?.rss ?? startRss;
  return { minutes, connections, result, samples, startRss, endRss, maxRss: Math.max(...samples.map((s) => s.rss)), afterOneMinute, growth: endRss / startRss - 1 };
}

async function main(): Promise<void> {
  const started = new Date();
  mkdirSync(TMP, { recursive: true });
  if (REFERENCE_DIR) checkReferenceDir(REFERENCE_DIR);
  if (REFERENCE_DIR && VS_ROWS.length === 0) console.log(`--only ${opts.only} selects no side-by-side row (their keys start with "vs-"): the reference is not started.`);
  const m = machine();
  console.log(`LLM Hub benchmark: ${m.cpu}, ${m.cores} cores, ${fmt(m.ramGiB, 1)} GiB, Node ${m.node}, commit ${gitCommit()}`);

  console.log("Fernet: ours against the fernet npm package ...");
  const fernet = benchFernet();
  console.log(`  ours ${fmtInt(fernet.ours.encrypt)} enc/s, ${fmtInt(fernet.ours.decrypt)} dec/s; fernet npm ${fmtInt(fernet.npm.encrypt)} enc/s, ${fmtInt(fernet.npm.decrypt)} dec/s`);

  const build = await buildIfNeeded({ appDir: APP_DIR, rebuild: opts.rebuild, logPath: path.join(TMP, "build.log") });
  console.log(build);

  // Everything shares this machine's cores: wait (a while) for other work to finish first.
  let busy = await machineBusy();
  const quietBy = Date.now() + Number(opts["wait-quiet"]) * 1000;
  if (busy > 0.25) console.log(`The machine is ${fmt(busy * 100, 0)}% busy with other work; waiting up to ${opts["wait-quiet"]} s for it to calm down ...`);
  while (busy > 0.25 && Date.now() < quietBy) busy = await machineBusy(5000);
  if (busy > 0.25) console.log(`Still ${fmt(busy * 100, 0)}% busy: measuring anyway (the report says so).`);

  // Services: a fresh database, Redis db 9 flushed.
  dbName = `llmhub_bench_${randomBytes(5).toString("hex")}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  if (VS_ROWS.length) {
    refDbName = `llmhub_ref_${randomBytes(5).toString("hex")}`;
    await admin.unsafe(`create database "${refDbName}"`);
  }
  const pgVersion = (await admin`show server_version`)[0]!.server_version as string;
  await admin.end({ timeout: 5 });
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${dbName}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  await redis.flushdb();
  const redisVersion = /redis_version:(\S+)/.exec(await redis.info("server"))?.[1] ?? "?";
  await redis.quit();
  const nextVersion = JSON.parse(readFileSync("node_modules/next/package.json", "utf8")).version as string;

  // The fake provider, in its own process.
  const fakePort = await freePort();
  const fake = spawnLogged("fake provider", process.execPath, [...NODE_TSX, "test/fake-provider/main.ts", "--port", String(fakePort)], { env: cleanEnv(), logPath: path.join(TMP, "fake.log") });
  children.push(fake);
  const fakeUrl = `http://127.0.0.1:${fakePort}`;
  await waitForHttp(fake, `${fakeUrl}/__fake/requests`, (s) => s === 200);
  const baseUrls = Object.fromEntries(
    fake
      .output()
      .split("\n")
      .map((l) => /^(PROVIDER_BASE_URL_[A-Z]+)=(\S+)$/.exec(l.trim()))
      .filter((x): x is RegExpExecArray => !!x && x[1] !== "PROVIDER_BASE_URL_CUSTOM")
      .map((x) => [x[1]!, x[2]!]),
  );

  const encryptionKey = randomBytes(32).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
  const sessionSecret = randomBytes(32).toString("base64url");
  const adminUser = { email: "bench-admin@example.com", password: `bench-${randomBytes(12).toString("hex")}` };
  const common = { ...cleanEnv(), DATABASE_URL: databaseUrl, REDIS_URL, BYOK_ENCRYPTION_KEY: encryptionKey, SESSION_SECRET: sessionSecret };
  console.log(`Database ${dbName}; creating the admin with npm run users ...`);
  await runUsersAdd(common, adminUser.email, adminUser.password);

  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const envKey = `${"mistral-bench-"}${randomBytes(12).toString("hex")}`;
  const app = await spawnApp({
    name: "app",
    cwd: APP_DIR,
    port: appPort,
    logPath: path.join(TMP, "server.log"),
    // under the profiler: the app's own server.mjs with its flags, or for a checkout that starts with
    // `next start` (which cannot take --cpu-prof) the profile server on the same build (PORT from the env)
    command: opts.profile
      ? {
          command: process.execPath,
          args: [
            "--cpu-prof",
            "--cpu-prof-interval",
            "250",
            `--cpu-prof-dir=${path.join(TMP, "prof")}`,
            ...(START.args.at(-1) === "server.mjs" ? [...START.args, "-H", "127.0.0.1"] : [path.join(ROOT, "bench/profile-server.mjs")]),
          ],
        }
      : undefined,
    env: {
      ...common,
      NODE_ENV: "production",
      LOG_LEVEL: "info",
      PROVIDER_URL_POLICY: "any",
      KEY_TESTS_PER_MINUTE,
      HEALTH_CHECK_INTERVAL_SECONDS: "0",
      MISTRAL_API_KEY: envKey,
      ...baseUrls,
      ...(opts["node-options"] ? { NODE_OPTIONS: opts["node-options"] } : {}),
      ...APP_ENV,
    },
  });
  children.push(app);
  await waitReady(app);
  const pid = listenerPid(app.proc.pid!, appPort);
  if (!pid) throw new Error(`no process of the app listens on ${appPort}`);
  console.log(`App on ${appUrl} (server pid ${pid}${pid === app.proc.pid ? ", the `npm start` process itself" : `, child of ${app.proc.pid}`}); log: bench/tmp/server.log`);

  const basePort = await freePort();
  const baseUrl = `http://127.0.0.1:${basePort}`;
  // react-server: its delete imports the app's statement, from modules marked server-only
  const baseline = spawnLogged("baseline", process.execPath, [...NODE_TSX, "--conditions=react-server", "bench/baseline.ts"], {
    env: { ...cleanEnv(), PORT: String(basePort), DATABASE_URL: databaseUrl, REDIS_URL: BASELINE_REDIS_URL, SESSION_SECRET: sessionSecret, SESSION_TTL_HOURS: "12", MISTRAL_API_KEY: envKey, NODE_ENV: "production" },
    logPath: path.join(TMP, "baseline.log"),
  });
  children.push(baseline);
  await waitForHttp(baseline, `${baseUrl}/health`, (s) => s === 200);
  const baselinePid = baseline.proc.pid!;
  const ours = [process.pid, app.proc.pid!, baselinePid, fake.proc.pid!];
  if (NICE !== 0) for (const p of [pid, ...ours]) reniceAll(p, NICE);

  // Sign in once; every scenario uses this session.
  const login = await fetch(`${appUrl}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(adminUser) });
  if (login.status !== 200) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.startsWith("session_token="));
  if (!cookie) throw new Error("sign-in set no session cookie");
  // Two stored keys (database source), one environment key (Mistral), six not set: a realistic list.
  const storedKeys: [string, string][] = [["openai", `sk-proj-${randomBytes(24).toString("hex")}`], ["anthropic", `sk-ant-api03-${randomBytes(24).toString("hex")}`]];
  for (const [type, key] of storedKeys) {
    const res = await fetch(`${appUrl}${KEYS}`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify({ provider_type: type, api_key: key }) });
    if (res.status !== 201) throw new Error(`saving the ${type} key failed: ${res.status} ${await res.text()}`);
  }

  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const ctx: Ctx = { appUrl, baseUrl, fakeUrl, cookie, sql, encryptionKey, admin: adminUser };
  const reference = VS_ROWS.length ? await setUpReference(ctx, { storedKeys, envKey, fakeUrl }) : null;
  if (reference) {
    ours.push(reference.side.rootPid);
    if (NICE !== 0) reniceAll(reference.side.rootPid, NICE);
  }
  const mem: Memory = { pid, afterStart: memoryOf(pid)?.rss ?? NaN, afterSuite: NaN, hwm: memoryOf(pid)?.hwm ?? NaN };

  const identical: string[] = [];
  const sameBody = async (label: string) => {
    const [a, b] = await Promise.all([
      fetch(`${appUrl}${KEYS}`, { headers: { cookie } }).then((r) => r.text()),
      fetch(`${baseUrl}${KEYS}`, { headers: { cookie } }).then((r) => r.text()),
    ]);
    if (a !== b) {
      // an older app (--app-dir) may answer as it did then (e.g. ordered rows differently): said, not fatal
      if (APP_DIR !== ROOT && a.length === b.length) return void identical.push(`${label}: same length (${fmtInt(a.length)} bytes), not byte-identical: the app from --app-dir answers as it did then`);
      let at = 0;
      while (at < a.length && a[at] === b[at]) at++;
      const around = (s: string) => s.slice(Math.max(0, at - 200), at + 200);
      throw new Error(`the baseline's list (${label}) differs from the app's at character ${at}:\napp:      …${around(a)}\nbaseline: …${around(b)}`);
    }
    identical.push(`${label}: byte-identical bodies (${fmtInt(a.length)} bytes)`);
  };

  const rows: Row[] = [];
  let listRows = false;
  for (const s of scenarios(ctx)) {
    if (ONLY && !ONLY.test(s.key)) continue;
    // The custom rows of the long list exist exactly while its scenarios run.
    if (s.longList !== listRows) {
      if (s.longList) await insertCustomRows(ctx, "bench list", LIST_ROWS);
      else await sql`delete from provider_keys where slug like 'custom:bench list %'`;
      listRows = !!s.longList;
    }
    await s.before?.();
    if (s.key === "list9") await sameBody("9 rows");
    if (s.key === "list1000") await sameBody(`${LIST_ROWS + 9} rows`);
    await fetch(`${fakeUrl}/__fake/reset`, { method: "POST" });
    const serverPid = s.target === "app" ? pid : s.target === "baseline" ? baselinePid : fake.proc.pid!;
    const peakResettable = resetPeakRss(serverPid);
    const before = cpuSnapshot();
    const t0 = Date.now();
    const results = await measure(s, s.target === "app" ? appUrl : s.target === "baseline" ? baseUrl : fakeUrl, serverPid);
    const foreign = foreignCores(before, cpuSnapshot(), ours, (Date.now() - t0) / 1000);
    const peakRss = peakResettable ? (memoryOf(serverPid)?.hwm ?? NaN) : NaN;
    if (s.target === "app") mem.hwm = Math.max(Number.isNaN(mem.hwm) ? 0 : mem.hwm, peakRss);
    await s.after?.();
    rows.push({ scenario: s, results, foreign, peakRss });
    if (foreign > 0.1) console.log(`  (other processes used ${fmt(foreign, 1)} cores meanwhile: these figures are disturbed)`);
    for (const r of results) {
      console.log(
        `  ${s.label.padEnd(52)} c=${String(r.connections).padStart(2)}  ${fmtInt(r.rps).padStart(6)} req/s  p50 ${fmt(r.p50).padStart(7)}  p95 ${fmt(r.p95).padStart(7)}  p99 ${fmt(r.p99).padStart(7)} ms  errors ${r.errors}`,
      );
    }
  }
  if (listRows) await sql`delete from provider_keys where slug like 'custom:bench list %'`;
  mem.afterSuite = memoryOf(pid)?.rss ?? NaN;

  let usageBrowser: string | null = null;
  if (rows.some((r) => r.scenario.key.startsWith("usage-"))) {
    console.log("Usage tab in the browser (long tasks while the chart draws) ...");
    const drawn = await drawUsageTab(appUrl, cookie);
    for (const d of drawn) console.log(`  ${d.view.padEnd(36)} drawn after ${fmt(d.drawnMs, 0)} ms, ${d.longTasks.length} long tasks, longest ${d.longTasks.length ? fmt(Math.max(...d.longTasks), 0) : "–"} ms`);
    usageBrowser = drawReport(drawn);
  }

  let sideBySide: string | null = null;
  if (reference) {
    const rounds = Number(opts.rounds);
    console.log(`Side by side with the reference service: ${VS_ROWS.length} rows, ${rounds} samples of ${DURATION} s per side, interleaved ...`);
    await alignLists(ctx, reference, storedKeys.map(([type]) => type));
    // the scenarios above left dead rows behind (the delete scenario's pool): neither side scans them
    await sql.unsafe("vacuum (analyze)");
    await reference.sql.unsafe("vacuum (analyze)");
    const refPid = reference.side.listenPid;
    resetPeakRss(pid);
    resetPeakRss(refPid);
    const oursSide = appSide(ctx, app.proc.pid!, pid);
    // the bare floor deletes from the app's database, with the app's admin session
    const floor: Side = { ...oursSide, name: "floor", url: baseUrl, rootPid: baselinePid, listenPid: baselinePid };
    const results = await runSideBySide(VS_ROWS, { sides: [oursSide, reference.side], floor, fakeUrl, duration: DURATION, warmup: WARMUP, rounds, benchPids: ours });
    const peakRss = { ours: memoryOf(pid)?.hwm ?? NaN, theirs: memoryOf(refPid)?.hwm ?? NaN };
    mem.hwm = Math.max(mem.hwm, peakRss.ours);
    sideBySide = sideBySideReport(results, { referenceDir: opts.reference!, versions: reference.ref.versions, duration: DURATION, warmup: WARMUP, rounds, peakRss });
    await reference.sql.end({ timeout: 5 });
  }

  let soakResult: SoakResult | null = null;
  if (SOAK_MINUTES > 0) {
    console.log(`Soak: ${SOAK_MINUTES} min at 32 connections ...`);
    await fetch(`${fakeUrl}/__fake/latency?ms=0`, { method: "POST" });
    soakResult = await soak(ctx, pid, SOAK_MINUTES);
    console.log(`  RSS ${fmt(soakResult.startRss, 0)} -> ${fmt(soakResult.endRss, 0)} MiB (${fmt(soakResult.growth * 100, 1)}%), ${fmtInt(soakResult.result.rps)} req/s, ${soakResult.result.errors} errors`);
  }
  mem.hwm = Math.max(mem.hwm, memoryOf(pid)?.hwm ?? NaN);
  await sql.end({ timeout: 5 });

  const text = report({
    started,
    finished: new Date(),
    build,
    m,
    versions: { pg: pgVersion, redis: redisVersion, next: nextVersion },
    rows,
    mem,
    soak: soakResult,
    fernet,
    identical,
    busyAtStart: busy,
    sideBySide,
    usageBrowser,
  });
  const out = ONLY || opts.profile || opts["app-dir"] ? path.join(TMP, "results-partial.md") : path.resolve("bench/results.md");
  writeFileSync(out, `${text}\n`);
  console.log(`\n${text}\nWritten to ${path.relative(process.cwd(), out)}`);
}

runBench(main, cleanup);
