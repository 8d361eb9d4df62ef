/**
 * `npm run bench:gateway [-- options]`: the gateway against the fake provider, three peers beside it,
 * measured in one run, each in its own process: (a) direct calls to the fake, (b) a bare node:http
 * pass-through proxy (bench/passthrough.ts, the floor), (c) Portkey's open-source gateway
 * (@portkey-ai/gateway, a dev dependency), (d) ours (the production build, `npm start`'s command,
 * a fresh PostgreSQL database, Redis db 9). Prints the tables and writes bench/gateway-results.md.
 * The 32-connection phase also runs the floor and ours in two processes each (node:cluster; ours as
 * `npm start` runs with WEB_CONCURRENCY=2), each process tree's CPU counted whole.
 *
 * Every target is first checked to answer correctly (200, the body's shape) and to really reach the
 * fake (which records each request: model, key length, status); during the load runs the fake's
 * count of requests must match the answers. Samples are interleaved: each round runs every target
 * once, in a rotated order.
 *
 *   --duration S      seconds per load sample (default 3)
 *   --warmup S        seconds of load per target before the samples of each load phase (default 1)
 *   --rounds N        load samples per target, and inter-chunk streams per target (default 3)
 *   --ttfb-samples N  streamed requests per target and round for the time to first byte (default 100)
 *   --streams N       concurrent slow streams (default 500)
 *   --rebuild         build even when .next-bench looks current
 *   --wait-quiet S    wait up to S seconds (default 180) for other work on the machine to finish
 *   --profile         serve the app under `node --cpu-prof` (npm start's server.mjs); the profile
 *                     lands in bench/tmp/prof/ and the report in bench/tmp/gateway-results-profile.md
 *   --hold            set everything up, check the targets, then keep them running (no load) until
 *                     Ctrl-C, for measuring by hand: URLs, pids, request headers (the bench's throwaway
 *                     keys) and the app's environment go to bench/tmp/hold.json, readable by the owner only
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import Redis from "ioredis";
import postgres from "postgres";
import { startCommand } from "../test/support/app-process";
import { runNpmScriptOk } from "../test/support/cli";
import { buildIfNeeded, cleanEnv } from "./app-build";
import { type GatewayResults, gatewayReport, type LoadKey, type LoadRow, type SlowRow, type StreamRow, type TargetKey, type TtfbRow } from "./gateway-report";
import { runLoad } from "./load";
import { type Child, cpuMsOf, treeCpuMs, cpuSnapshot, machineTicks, machineBusyBetween, dropDatabase, foreignCores, freePort, gitCommit, listenerPid, machine, machineBusy, memoryOf, resetPeakRss, runBench, settle, spawnApp, spawnLogged, stopChild, waitForHttp, waitReady } from "./procs";
import { lateness, plainOnce, streamOnce, type StreamResult, type StreamTarget } from "./stream-client";

const PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const REDIS_URL = "redis://127.0.0.1:6379/9";
const TMP = path.resolve("bench/tmp");
const ROOT = process.cwd();
const NODE_TSX = ["--import", "tsx"];
const COMPAT = "/api/v1/llm/gateway/v1";
const MODEL = "gpt-4o-mini";
const DRIP = { chunks: 50, ms: 20 };
const SLOW = { chunks: 50, ms: 100 };

const { values: opts } = parseArgs({
  options: {
    duration: { type: "string", default: "3" },
    warmup: { type: "string", default: "1" },
    rounds: { type: "string", default: "3" },
    "ttfb-samples": { type: "string", default: "100" },
    streams: { type: "string", default: "500" },
    rebuild: { type: "boolean", default: false },
    "wait-quiet": { type: "string", default: "180" },
    profile: { type: "boolean", default: false },
    hold: { type: "boolean", default: false },
  },
});
const DURATION = Number(opts.duration);
const WARMUP = Number(opts.warmup);
const ROUNDS = Number(opts.rounds);
const TTFB_SAMPLES = Number(opts["ttfb-samples"]);
const STREAMS = Number(opts.streams);

interface Target extends StreamTarget {
  key: TargetKey;
  label: string;
  /** The process serving it (the fake's for direct calls): its CPU and memory are read. */
  pid: number;
  /** The model as this target takes it (ours: `<route>/<model>`); the fake always sees the bare one. */
  model: (m: string) => string;
  /** The length of the key the fake must receive (ours: the stored provider key, not the hub key). */
  keyLength: number;
}

interface FakeRecord {
  path: string;
  keyLength: number | null;
  inference?: { model: string | null; stream: boolean; status: number | null; chunkTimes: number[]; completed: boolean };
}

const body = (model: string, stream: boolean) => JSON.stringify({ model, stream, max_tokens: 64, messages: [{ role: "user", content: "Say hello in five words." }] });
const rotate = <T>(xs: T[], n: number): T[] => xs.map((_, i) => xs[(i + n) % xs.length]!);
const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);
const sortNum = (xs: number[]) => [...xs].sort((a, b) => a - b);

// ---------------------------------------------------------------------------------------------
// The fake's own account of what reached it

let fakeUrl = "";
async function fakeReset(): Promise<void> {
  await fetch(`${fakeUrl}/__fake/reset`, { method: "POST" });
}
async function fakeChats(): Promise<FakeRecord[]> {
  const all = (await (await fetch(`${fakeUrl}/__fake/requests`)).json()) as FakeRecord[];
  return all.filter((r) => r.path === "/openai/v1/chat/completions");
}

/** One request each way (JSON and stream) through `t`: the right answer, and the fake saw exactly it. */
async function checkTarget(t: Target): Promise<string> {
  await fakeReset();
  const res = await fetch(t.url + t.path, { method: "POST", headers: { ...t.headers, "content-type": "application/json" }, body: body(t.model(MODEL), false) });
  const text = await res.text();
  const json = (() => {
    try {
      return JSON.parse(text) as { object?: string; choices?: { message?: { content?: unknown } }[] };
    } catch {
      return null;
    }
  })();
  if (res.status !== 200 || json?.object !== "chat.completion" || typeof json.choices?.[0]?.message?.content !== "string") {
    throw new Error(`${t.label}: a chat completion answered ${res.status} ${text.slice(0, 300)}`);
  }
  const drip = `${MODEL}-drip-5x10`;
  const s = await streamOnce(new http.Agent(), t, body(t.model(drip), true));
  if (s.status !== 200 || !s.contentType.startsWith("text/event-stream") || !s.done || s.contentMs.length !== 5) {
    throw new Error(`${t.label}: a streamed chat answered ${s.status} ${s.contentType}, ${s.contentMs.length} content chunks, [DONE] ${s.done} ${s.error ?? ""}`);
  }
  const seen = await fakeChats();
  const want = [
    { model: MODEL, stream: false },
    { model: drip, stream: true },
  ];
  const ok =
    seen.length === 2 &&
    want.every((w, i) => seen[i]!.inference?.model === w.model && seen[i]!.inference?.stream === w.stream && seen[i]!.inference?.status === 200 && seen[i]!.keyLength === t.keyLength);
  if (!ok) throw new Error(`${t.label}: the fake did not see the two requests as sent: ${JSON.stringify(seen.map((r) => ({ keyLength: r.keyLength, ...r.inference, chunkTimes: undefined })))}`);
  return `${t.label}: 200 chat.completion + a 5-chunk stream ending in [DONE]; the fake saw both (model ${MODEL}, a ${t.keyLength}-character key)`;
}

// ---------------------------------------------------------------------------------------------
// Measurements

interface LoadTarget {
  key: LoadKey;
  label: string;
  url: string;
  pid: number;
  /** Serves from several processes (node:cluster): CPU is the whole process tree's under `pid`. */
  tree?: boolean;
  spec: { method: string; path: string; headers: Record<string, string>; body?: string };
  /** It forwards to the fake: the fake's count must match its answers. */
  forwards: boolean;
}

/** Round-robin load samples at `connections`; percentiles from the pooled latencies of every sample. */
async function loadPhase(targets: LoadTarget[], connections: number): Promise<LoadRow[]> {
  const pooled = new Map(targets.map((t) => [t.key, { latencies: [] as number[], requests: 0, seconds: 0, errors: 0, statuses: {} as Record<string, number>, cpuMs: 0, machineMs: 0, busy: [] as number[], rps: [] as number[], foreign: 0 }]));
  for (const t of targets) {
    // a server of several processes warms each of them with its share of the connections (and,
    // unlike the one-process targets, was not warmed by the 1-connection phase): three times as long
    await runLoad({ ...t.spec, url: t.url, connections, duration: t.tree ? 3 * WARMUP : WARMUP });
    await settle(t.pid, undefined, t.tree ? treeCpuMs : cpuMsOf);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of rotate(targets, round)) {
      if (t.forwards) await fakeReset();
      const cpuOf = t.tree ? treeCpuMs : cpuMsOf;
      const cpu0 = cpuOf(t.pid);
      const snap = cpuSnapshot();
      const ticks0 = machineTicks();
      const t0 = performance.now();
      const r = await runLoad({ ...t.spec, url: t.url, connections, duration: DURATION, keepLatencies: true });
      const cpu = cpuOf(t.pid) - cpu0;
      const machineCpu = machineBusyBetween(ticks0, machineTicks());
      const foreign = foreignCores(snap, cpuSnapshot(), ours, (performance.now() - t0) / 1000);
      await settle(t.pid, undefined, cpuOf);
      const ok = r.latencies!.length;
      if (ok === 0) throw new Error(`${t.label}: no 200 answer at ${connections} connections (${JSON.stringify(r.statuses)}): a fast error is not a result`);
      if (t.forwards) {
        const seen = (await fakeChats()).filter((x) => x.inference?.status === 200).length;
        if (seen < ok) throw new Error(`${t.label}: ${ok} answers but the fake served only ${seen} requests`);
      }
      const p = pooled.get(t.key)!;
      p.latencies.push(...r.latencies!);
      p.requests += r.requests;
      p.seconds += r.seconds;
      p.errors += r.errors;
      p.cpuMs += cpu;
      p.machineMs += machineCpu.busyMs;
      p.busy.push(machineCpu.share);
      p.rps.push(r.rps);
      p.foreign = Math.max(p.foreign, foreign);
      for (const [s, n] of Object.entries(r.statuses)) p.statuses[s] = (p.statuses[s] ?? 0) + n;
      console.log(`  ${t.label.padEnd(34)} c=${connections} round ${round + 1}: ${Math.round(r.rps)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, errors ${r.errors}${foreign > 0.1 ? `  (other processes used ${foreign.toFixed(1)} cores meanwhile)` : ""}`);
    }
  }
  return targets.map((t) => {
    const p = pooled.get(t.key)!;
    const lat = sortNum(p.latencies);
    return { key: t.key, label: t.label, connections, requests: p.requests, rps: p.requests / p.seconds, rpsRange: [Math.min(...p.rps), Math.max(...p.rps)], p50: pct(lat, 50), p99: pct(lat, 99), errors: p.errors, statuses: p.statuses, cpuMsPerRequest: p.cpuMs / p.requests, machineMsPerRequest: p.machineMs / p.requests, machineBusy: p.busy.reduce((a, b) => a + b, 0) / p.busy.length, foreignCores: p.foreign };
  });
}

const streamOk = (s: StreamResult, chunks: number) => s.status === 200 && s.done && s.contentMs.length === chunks;

/**
 * Sequential streamed requests on one connection per target, each followed or preceded by the same
 * chat not streamed (what any request costs measured the same way), in one of two orders:
 * - `back-to-back`: a target's requests one after another (stream, plain, stream, …), as the
 *   1-connection load rows run; rounds rotate the targets;
 * - `interleaved`: request by request across the targets, so each request finds its target idle
 *   since its previous one while the others answered (up to ~30 ms behind Portkey's stream).
 */
async function ttfbPhase(targets: Target[], order: "back-to-back" | "interleaved"): Promise<TtfbRow[]> {
  const agents = new Map(targets.map((t) => [t.key, new http.Agent({ keepAlive: true, maxSockets: 1 })]));
  const got = new Map(targets.map((t) => [t.key, { ttfb: [] as number[], first: [] as number[], plain: [] as number[], failed: 0 }]));
  const model = `${MODEL}-words-5`;
  const stream = async (t: Target) => {
    const s = await streamOnce(agents.get(t.key)!, t, body(t.model(model), true));
    const g = got.get(t.key)!;
    if (!streamOk(s, 5)) g.failed++;
    else {
      g.ttfb.push(s.ttfbMs);
      g.first.push(s.contentMs[0]!);
    }
  };
  const plain = async (t: Target) => {
    const p = await plainOnce(agents.get(t.key)!, t, body(t.model(model), false));
    const g = got.get(t.key)!;
    if (p.status !== 200) g.failed++;
    else g.plain.push(p.totalMs);
  };
  for (const t of targets) for (let i = 0; i < 20; i++) await streamOnce(agents.get(t.key)!, t, body(t.model(model), true)); // warm-up
  if (order === "back-to-back") {
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of rotate(targets, round)) {
        for (let i = 0; i < TTFB_SAMPLES; i++) {
          // which kind goes first alternates, so that neither always follows the other
          if (i % 2 === 0) {
            await stream(t);
            await plain(t);
          } else {
            await plain(t);
            await stream(t);
          }
        }
      }
    }
  } else {
    for (let i = 0; i < ROUNDS * TTFB_SAMPLES; i++) {
      for (const t of rotate(targets, i)) await stream(t);
      // each target's non-streamed request after the others', as for the streams
      for (const t of rotate(targets, i + 1)) await plain(t);
    }
  }
  for (const a of agents.values()) a.destroy();
  return targets.map((t) => {
    const g = got.get(t.key)!;
    const ttfb = sortNum(g.ttfb);
    const first = sortNum(g.first);
    const plain = sortNum(g.plain);
    return { key: t.key, label: t.label, samples: ttfb.length, failed: g.failed, p50: pct(ttfb, 50), p99: pct(ttfb, 99), firstChunkP50: pct(first, 50), firstChunkP99: pct(first, 99), plainP50: pct(plain, 50), plainP99: pct(plain, 99) };
  });
}

/**
 * Streams of DRIP.chunks chunks DRIP.ms apart, one at a time: each content chunk's arrival at the
 * client against the time the fake wrote it (its own record), relative to the first chunk.
 */
async function interChunkPhase(targets: Target[]): Promise<StreamRow[]> {
  const model = `${MODEL}-drip-${DRIP.chunks}x${DRIP.ms}`;
  const rows = new Map(targets.map((t) => [t.key, { late: [] as number[], nominalLate: [] as number[], spreads: [] as number[], gaps: [] as number[], failed: 0 }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of rotate(targets, round)) {
      await fakeReset();
      const agent = new http.Agent();
      const s = await streamOnce(agent, t, body(t.model(model), true));
      agent.destroy();
      const wrote = (await fakeChats())[0]?.inference?.chunkTimes ?? [];
      const row = rows.get(t.key)!;
      if (!streamOk(s, DRIP.chunks) || wrote.length !== DRIP.chunks) {
        row.failed++;
        continue;
      }
      const c = s.contentMs;
      for (let i = 1; i < c.length; i++) row.gaps.push(c[i]! - c[i - 1]!);
      row.late.push(lateness(c.map((x, i) => x - wrote[i]!)));
      row.nominalLate.push(lateness(c.map((x, i) => x - i * DRIP.ms)));
      row.spreads.push(c[c.length - 1]! - c[0]!);
    }
  }
  return targets.map((t) => {
    const r = rows.get(t.key)!;
    const gaps = sortNum(r.gaps);
    return { key: t.key, label: t.label, streams: r.spreads.length, failed: r.failed, maxLate: Math.max(...r.late), maxNominalLate: Math.max(...r.nominalLate), spread: [Math.min(...r.spreads), Math.max(...r.spreads)], gapMin: gaps[0] ?? NaN, gapMax: gaps[gaps.length - 1] ?? NaN };
  });
}

/** STREAMS slow streams at once through one target: all must complete; the server's peak RSS. */
async function slowStreams(t: Target): Promise<SlowRow> {
  const model = `${MODEL}-drip-${SLOW.chunks}x${SLOW.ms}`;
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  await fakeReset();
  await settle(t.pid);
  const rssBefore = memoryOf(t.pid)?.rss ?? NaN;
  const resettable = resetPeakRss(t.pid);
  const started = performance.now();
  const results = await Promise.allSettled(Array.from({ length: STREAMS }, () => streamOnce(agent, t, body(t.model(model), true))));
  const seconds = (performance.now() - started) / 1000;
  const peak = resettable ? (memoryOf(t.pid)?.hwm ?? NaN) : NaN;
  agent.destroy();
  const done = results.filter((r) => r.status === "fulfilled" && streamOk(r.value, SLOW.chunks)).length;
  const late = results.flatMap((r) => (r.status === "fulfilled" && r.value.contentMs.length === SLOW.chunks ? [lateness(r.value.contentMs.map((c, i) => c - i * SLOW.ms))] : []));
  const fakeCompleted = (await fakeChats()).filter((x) => x.inference?.completed).length;
  const errors = [...new Set(results.flatMap((r) => (r.status === "rejected" ? [String((r.reason as Error).message)] : r.value.status !== 200 ? [`${r.value.status} ${r.value.error ?? ""}`] : [])))].slice(0, 3);
  console.log(`  ${t.label.padEnd(34)} ${done}/${STREAMS} complete (the fake completed ${fakeCompleted}) in ${seconds.toFixed(1)} s, peak RSS ${peak.toFixed(0)} MiB${errors.length ? `; errors: ${errors.join(" | ")}` : ""}`);
  await settle(t.pid);
  return { key: t.key, label: t.label, streams: STREAMS, completed: done, fakeCompleted, seconds, rssBefore, peakRss: peak, p99Late: pct(sortNum(late), 99), errors };
}

// ---------------------------------------------------------------------------------------------
// Main

const children: Child[] = [];
/** The bench's own processes (their descendants included): CPU used by any other process disturbs a sample. */
const ours: number[] = [process.pid];
let dbName: string | undefined;
let cleaning: Promise<void> | undefined;

async function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const c of children.reverse()) await stopChild(c).catch(() => {});
    if (dbName) await dropDatabase(PG_ADMIN_URL, dbName);
  })();
  return cleaning;
}

async function postJson(url: string, cookie: string, payload: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify(payload) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function main(): Promise<void> {
  const started = new Date();
  mkdirSync(TMP, { recursive: true });
  const m = machine();
  console.log(`Gateway benchmark: ${m.cpu}, ${m.cores} cores, Node ${m.node}, commit ${gitCommit()}`);
  const build = await buildIfNeeded({ appDir: ROOT, rebuild: opts.rebuild, logPath: path.join(TMP, "build.log") });
  console.log(build);

  let busy = await machineBusy();
  const quietBy = Date.now() + Number(opts["wait-quiet"]) * 1000;
  if (busy > 0.25) console.log(`The machine is ${(busy * 100).toFixed(0)}% busy with other work; waiting up to ${opts["wait-quiet"]} s ...`);
  while (busy > 0.25 && Date.now() < quietBy) busy = await machineBusy(5000);

  dbName = `llmhub_bench_gw_${randomBytes(5).toString("hex")}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  await admin.end({ timeout: 5 });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  await redis.flushdb();
  await redis.quit();

  // (a) the fake provider, in its own process
  const fakePort = await freePort();
  const fake = spawnLogged("fake provider", process.execPath, [...NODE_TSX, "test/fake-provider/main.ts", "--port", String(fakePort)], { env: cleanEnv(), logPath: path.join(TMP, "gw-fake.log") });
  children.push(fake);
  fakeUrl = `http://127.0.0.1:${fakePort}`;
  await waitForHttp(fake, `${fakeUrl}/__fake/requests`, (s) => s === 200);
  const fakeBase = `${fakeUrl}/openai/v1`;

  // (b) the floor
  const floorPort = await freePort();
  const floor = spawnLogged("pass-through proxy", process.execPath, [...NODE_TSX, "bench/passthrough.ts"], { env: { ...cleanEnv(), PORT: String(floorPort), UPSTREAM: fakeBase }, logPath: path.join(TMP, "gw-floor.log") });
  children.push(floor);
  const floorUrl = `http://127.0.0.1:${floorPort}`;
  await waitForHttp(floor, `${floorUrl}/`, (s) => s === 404);
  // (b) again in two processes, for the 32-connection comparison of two processes each
  const floor2Port = await freePort();
  const floor2 = spawnLogged("pass-through proxy, two workers", process.execPath, [...NODE_TSX, "bench/passthrough-workers.ts"], {
    env: { ...cleanEnv(), PORT: String(floor2Port), UPSTREAM: fakeBase, WORKERS: "2" },
    logPath: path.join(TMP, "gw-floor-2.log"),
  });
  children.push(floor2);
  const floor2Url = `http://127.0.0.1:${floor2Port}`;
  await waitForHttp(floor2, `${floor2Url}/`, (s) => s === 404);

  // (c) Portkey's gateway
  const pkPort = await freePort();
  const portkey = spawnLogged("Portkey gateway", process.execPath, ["node_modules/@portkey-ai/gateway/build/start-server.js", "--headless", `--port=${pkPort}`], { env: { ...cleanEnv(), NODE_ENV: "production" }, logPath: path.join(TMP, "gw-portkey.log") });
  children.push(portkey);
  const pkUrl = `http://127.0.0.1:${pkPort}`;
  await waitForHttp(portkey, `${pkUrl}/`, (s) => s > 0 && s < 500);

  // (d) ours
  const common = { ...cleanEnv(), DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${dbName}`, REDIS_URL, BYOK_ENCRYPTION_KEY: randomBytes(32).toString("base64url") + "=", SESSION_SECRET: randomBytes(32).toString("base64url") };
  const adminUser = { email: "bench-admin@example.com", password: `bench-${randomBytes(12).toString("hex")}` };
  await runNpmScriptOk("users", ["add", "--email", adminUser.email, "--role", "admin"], { env: common, input: `${adminUser.password}\n`, timeoutMs: 180_000 });
  const appEnv = { ...common, NODE_ENV: "production", LOG_LEVEL: "info", HEALTH_CHECK_INTERVAL_SECONDS: "0", PROVIDER_BASE_URL_OPENAI: fakeBase };
  const appPort = await freePort();
  const appLog = path.join(TMP, "gw-server.log");
  const app = await spawnApp({
    name: "app",
    port: appPort,
    logPath: appLog,
    // under the profiler, `npm start`'s own command (server.mjs, the API fast path included)
    command: opts.profile
      ? { command: process.execPath, args: ["--cpu-prof", "--cpu-prof-interval", "250", `--cpu-prof-dir=${path.join(TMP, "prof")}`, ...startCommand(ROOT).args, "-H", "127.0.0.1"] }
      : undefined,
    env: appEnv,
  });
  children.push(app);
  await waitReady(app);
  // (d) again as `npm start` runs with WEB_CONCURRENCY=2 (the same build, database and Redis), for
  // the 32-connection comparison of two processes each
  const app2 = await spawnApp({ name: "app, two workers", logPath: path.join(TMP, "gw-server-2.log"), env: { ...appEnv, WEB_CONCURRENCY: "2" } });
  children.push(app2);
  await waitReady(app2);
  ours.push(...children.map((c) => c.proc.pid!));
  const appPid = listenerPid(app.proc.pid!, appPort);
  if (!appPid) throw new Error(`no process of the app listens on ${appPort}`);
  const appUrl = app.url;

  const login = await fetch(`${appUrl}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(adminUser) });
  const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.startsWith("session_token="));
  if (login.status !== 200 || !cookie) throw new Error(`sign-in failed: ${login.status}`);
  const providerKey = `sk-proj-${randomBytes(24).toString("hex")}`;
  const saved = await postJson(`${appUrl}/api/v1/llm/providers/keys`, cookie, { provider_type: "openai", api_key: providerKey });
  if (saved.status !== 201) throw new Error(`saving the OpenAI key failed: ${saved.status} ${JSON.stringify(saved.body)}`);
  // a production-like hub key: its rate limit (Redis) and budget check run on every request
  const issued = await postJson(`${appUrl}/api/v1/llm/hub-keys`, cookie, { name: "bench", allowed: ["openai/*"], rpm_limit: 1_000_000, monthly_budget_usd: 1_000_000 });
  if (issued.status !== 201 || typeof issued.body.key !== "string") throw new Error(`issuing a hub key failed: ${issued.status} ${JSON.stringify(issued.body)}`);
  const hubKey = issued.body.key;

  const directKey = `sk-proj-direct-${randomBytes(10).toString("hex")}`;
  const bare = (x: string) => x;
  const targets: Target[] = [
    { key: "direct", label: "(a) direct to the fake", url: fakeUrl, path: "/openai/v1/chat/completions", headers: { authorization: `Bearer ${directKey}` }, pid: fake.proc.pid!, model: bare, keyLength: directKey.length },
    { key: "floor", label: "(b) node:http pass-through (floor)", url: floorUrl, path: "/v1/chat/completions", headers: { authorization: `Bearer ${directKey}` }, pid: floor.proc.pid!, model: bare, keyLength: directKey.length },
    {
      key: "portkey",
      label: "(c) Portkey gateway 1.15.2",
      url: pkUrl,
      path: "/v1/chat/completions",
      headers: { authorization: `Bearer ${directKey}`, "x-portkey-provider": "openai", "x-portkey-custom-host": fakeBase },
      pid: portkey.proc.pid!,
      model: bare,
      keyLength: directKey.length,
    },
    { key: "ours", label: "(d) LLM Hub gateway", url: appUrl, path: `${COMPAT}/chat/completions`, headers: { authorization: `Bearer ${hubKey}` }, pid: appPid, model: (x) => `openai/${x}`, keyLength: providerKey.length },
  ];
  if (hubKey.length === providerKey.length) throw new Error("the hub key and the provider key must differ in length (the fake tells them apart by it)");

  console.log("Checking every target answers correctly and reaches the fake ...");
  const checks: string[] = [];
  for (const t of targets) checks.push(await checkTarget(t));
  for (const c of checks) console.log(`  ${c}`);

  if (opts.hold) {
    writeFileSync(path.join(TMP, "hold.json"), JSON.stringify({ appEnv, targets, body: body(MODEL, false), oursBody: body(`openai/${MODEL}`, false) }), { mode: 0o600 });
    console.log(`Holding: targets in ${path.join(TMP, "hold.json")}; Ctrl-C ends`);
    await new Promise(() => {});
  }
  const loadTargets: LoadTarget[] = [
    ...targets.map((t) => ({ key: t.key, label: t.label, url: t.url, pid: t.pid, forwards: true, spec: { method: "POST", path: t.path, headers: { ...t.headers, "content-type": "application/json" }, body: body(t.model(MODEL), false) } })),
    { key: "next-floor", label: "(d') ours: GET /api/health (Next's floor)", url: appUrl, pid: appPid, forwards: false, spec: { method: "GET", path: "/api/health", headers: {} } },
  ];
  console.log(`Non-streaming chat, 1 connection: ${ROUNDS} rounds of ${DURATION} s per target ...`);
  const one = await loadPhase(loadTargets, 1);
  console.log(`Non-streaming chat, 32 connections: ${ROUNDS} rounds of ${DURATION} s per target ...`);
  const twoProcesses: LoadTarget[] = [
    { ...loadTargets.find((t) => t.key === "floor")!, key: "floor-2", label: "(b2) the floor, two worker processes", url: floor2Url, pid: floor2.proc.pid!, tree: true },
    { ...loadTargets.find((t) => t.key === "ours")!, key: "ours-2", label: "(d2) ours, two workers (WEB_CONCURRENCY=2)", url: app2.url, pid: app2.proc.pid!, tree: true },
  ];
  const many = await loadPhase([...loadTargets, ...twoProcesses], 32);
  // the two-process servers are not measured further: stopped, so that they take nothing from the rest
  for (const c of [app2, floor2]) {
    await stopChild(c);
    children.splice(children.indexOf(c), 1);
  }
  console.log(`Streaming, time to first byte, back to back: ${ROUNDS} rounds of ${TTFB_SAMPLES} streams per target ...`);
  const ttfb = await ttfbPhase(targets, "back-to-back");
  console.log(`Streaming, time to first byte, interleaved request by request: ${ROUNDS * TTFB_SAMPLES} streams per target ...`);
  const ttfbInterleaved = await ttfbPhase(targets, "interleaved");
  console.log(`Streaming, inter-chunk timing: ${ROUNDS} streams of ${DRIP.chunks} chunks ${DRIP.ms} ms apart per target ...`);
  const chunks = await interChunkPhase(targets);
  console.log(`${STREAMS} concurrent slow streams (${SLOW.chunks} chunks ${SLOW.ms} ms apart) per target ...`);
  const slow: SlowRow[] = [];
  for (const t of targets) slow.push(await slowStreams(t));
  // the app writes what it still holds on SIGTERM and says how many records it wrote in how many statements
  await stopChild(app);
  children.splice(children.indexOf(app), 1);
  const usageLine = /Usage recorder stopped: every record written \((\d+) in (\d+) statements?\)/.exec(readFileSync(appLog, "utf8"));
  const usageRun = usageLine ? { records: Number(usageLine[1]), statements: Number(usageLine[2]) } : null;

  const results: GatewayResults = {
    started,
    finished: new Date(),
    machine: m,
    commit: gitCommit(),
    build,
    busyAtStart: busy,
    command: `npm run bench:gateway${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
    duration: DURATION,
    warmup: WARMUP,
    rounds: ROUNDS,
    ttfbSamples: TTFB_SAMPLES,
    drip: DRIP,
    slow: SLOW,
    checks,
    one,
    many,
    ttfb,
    ttfbInterleaved,
    chunks,
    slowRows: slow,
    usageRun,
  };
  const text = gatewayReport(results);
  const out = opts.profile ? path.join(TMP, "gateway-results-profile.md") : path.resolve("bench/gateway-results.md");
  writeFileSync(out, `${text}\n`);
  console.log(`\n${text}\nWritten to ${path.relative(process.cwd(), out)}`);
}

runBench(main, cleanup);
