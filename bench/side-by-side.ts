/**
 * The side-by-side comparison of `npm run bench -- --reference DIR`: the same rows against the app
 * ("ours") and the Python service it replaces ("theirs"), samples interleaved (ours, theirs, ours,
 * theirs, …) so that drift on a shared machine hits both alike. Each sample measures throughput and
 * latency, and the CPU time of the server's whole process tree per request; checks before and after
 * it make sure both sides did the work the row names (the same provider called once per test or
 * save, a stored key really gone per delete). The delete rows also run against a third side, "floor":
 * bench/baseline.ts doing the app's work for a delete with the same libraries (node:http, ioredis,
 * postgres.js, the app's statement) but without Next.js or our request layer, interleaved with the
 * other two: what that work costs in Node on this machine, whatever the framework.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { runLoad, type LoadResult, type LoadSpec } from "./load";
import { cpuSnapshot, foreignCores, settle, treeCpuMs, type CpuSnapshot } from "./procs";

const KEYS = "/api/v1/llm/providers/keys";
/** A well-formed id that no row has. */
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
/** Stored keys seeded per delete sample, per second of it: far more than either side deletes. */
const KEYS_PER_SECOND = 2500;

export interface Side {
  name: "ours" | "theirs" | "floor";
  url: string;
  /** The session cookie (`session_token=…`) of an admin. */
  cookie: string;
  /** Its PostgreSQL database (to tell its backends' CPU from other databases'). */
  database: string;
  /** The root of the server's process tree (all of its CPU is counted), and the process that listens. */
  rootPid: number;
  listenPid: number;
  /** Seeds `n` rows with a stored key each; their ids. */
  seedKeys(n: number): Promise<string[]>;
  /** How many of `ids` still have their stored key. */
  keysLeft(ids: string[]): Promise<number>;
  /** Removes the rows seedKeys made and vacuums the table. */
  clearKeys(): Promise<void>;
}

interface Req {
  method: string;
  path: string;
  body?: string;
}

export interface VsRow {
  key: string;
  label: string;
  connections: number;
  /** The statuses that count as answered (default 2xx); every other is an error. */
  ok?: number[];
  /** The same request every time, or the i-th request of a sample (given the sample's seeded ids). */
  request: Req | ((i: number, ids: string[]) => Req);
  /** What a correct answer's body looks like: null when fine, else the problem. */
  check?: (body: unknown) => string | null;
  /** The fake provider's route each request must call exactly once. */
  providerPath?: string;
  /** Each request deletes one of the sample's freshly seeded stored keys. */
  storedKeys?: boolean;
  /** The bare floor (bench/baseline.ts) serves this row too: measured as a third side. */
  floor?: boolean;
}

/** The rows: list at 1 and 32 connections, info at 32, test at 1 and 32, save, delete, delete of an unknown id. */
export function vsRows(): VsRow[] {
  const salt = randomBytes(6).toString("hex");
  let saveN = 0;
  const test: Req = { method: "POST", path: `${KEYS}/test`, body: JSON.stringify({ provider_type: "openai", api_key: null }) };
  const list: Req = { method: "GET", path: KEYS };
  const testOk = (b: unknown) => (isObj(b) && b.success === true ? null : `test did not succeed: ${short(b)}`);
  const listOk = (b: unknown) => (isObj(b) && b.total === 9 && Array.isArray(b.providers) && b.providers.length === 9 ? null : `not the 9-row list: ${short(b)}`);
  return [
    { key: "vs-list-1", label: "GET /keys (9 rows)", connections: 1, request: list, check: listOk },
    { key: "vs-list-32", label: "GET /keys (9 rows)", connections: 32, request: list, check: listOk },
    {
      key: "vs-info-32",
      label: "GET /info",
      connections: 32,
      request: { method: "GET", path: "/api/v1/llm/providers/info" },
      check: (b) => (isObj(b) && Array.isArray(b.providers) && b.providers.length === 9 ? null : `not the 9-provider catalogue: ${short(b)}`),
    },
    { key: "vs-test-1", label: "POST /keys/test (stored OpenAI key, instant provider)", connections: 1, request: test, check: testOk, providerPath: "/openai/v1/models" },
    { key: "vs-test-32", label: "POST /keys/test (stored OpenAI key, instant provider)", connections: 32, request: test, check: testOk, providerPath: "/openai/v1/models" },
    {
      key: "vs-save-1",
      label: "POST /keys (a new Groq key each request)",
      connections: 1,
      request: () => ({ method: "POST", path: KEYS, body: JSON.stringify({ provider_type: "groq", api_key: `gsk_vs${salt}${(saveN++).toString(16).padStart(10, "0")}x9Yq2LmZ7r` }) }),
      check: (b) => (isObj(b) && b.success === true && isObj(b.test_result) && b.test_result.success === true ? null : `save or its test did not succeed: ${short(b)}`),
      providerPath: "/groq/openai/v1/models",
    },
    {
      key: "vs-delete-1",
      label: "DELETE /keys/{id} (a stored key each request)",
      connections: 1,
      // past the seeded ids: the unknown id, a 404 counted as an error
      request: (i, ids) => ({ method: "DELETE", path: `${KEYS}/${ids[i] ?? UNKNOWN_ID}` }),
      storedKeys: true,
      floor: true,
    },
    { key: "vs-delete404-1", label: "DELETE /keys/{unknown id}", connections: 1, ok: [404], request: { method: "DELETE", path: `${KEYS}/${UNKNOWN_ID}` }, floor: true },
  ];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const short = (v: unknown) => JSON.stringify(v)?.slice(0, 300) ?? String(v);

interface Sample {
  result: LoadResult;
  /** Server CPU (its process tree), ms. */
  serverCpuMs: number;
  /** The CPU of this side's PostgreSQL backends, PostgreSQL's background processes and Redis over the sample, ms. */
  dbCpuMs: number;
  /** The load generator's CPU (this process), ms. */
  clientCpuMs: number;
  /** Cores other processes used meanwhile. */
  foreign: number;
  problems: string[];
}

export interface SideFigures {
  samples: Sample[];
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  statuses: Record<string, number>;
  cpuPerRequest: number;
  dbCpuPerRequest: number;
  clientCpuPerRequest: number;
  bytesPerResponse: number;
  foreign: number;
  problems: string[];
}

export interface VsResult {
  row: VsRow;
  ours: SideFigures;
  theirs: SideFigures;
  /** The bare floor's figures, for the rows it serves (when the bench runs one). */
  floor?: SideFigures;
}

export interface VsOptions {
  sides: [Side, Side];
  /** The bare floor, for rows with `floor`. */
  floor?: Side;
  fakeUrl: string;
  /** Seconds per sample and per warm-up, and samples per side. */
  duration: number;
  warmup: number;
  rounds: number;
  /** The bench's own processes (not counted as other work on the machine). */
  benchPids: number[];
}

/** Runs each row: a probe per side, a warm-up per side, then `rounds` samples per side, interleaved. */
export async function runSideBySide(rows: VsRow[], o: VsOptions): Promise<VsResult[]> {
  await fetch(`${o.fakeUrl}/__fake/latency?ms=0`, { method: "POST" });
  const out: VsResult[] = [];
  for (const row of rows) {
    const sides = row.floor && o.floor ? [...o.sides, o.floor] : o.sides;
    const samples = new Map<Side, Sample[]>(sides.map((s) => [s, []]));
    const probeProblems = new Map<Side, string[]>();
    for (const side of sides) {
      probeProblems.set(side, await probe(row, side));
      if (o.warmup > 0) await sample(row, side, o, o.warmup);
    }
    for (let r = 0; r < o.rounds; r++) {
      for (const side of sides) {
        const s = await sample(row, side, o, o.duration);
        samples.get(side)!.push(s);
        const x = s.result;
        console.log(
          `  ${row.key.padEnd(15)} ${side.name.padEnd(6)} ${fmtInt(x.rps).padStart(6)} req/s  p50 ${fmt(x.p50).padStart(6)}  p99 ${fmt(x.p99).padStart(7)} ms  ` +
            `CPU ${fmt(s.serverCpuMs / x.sent)} ms/req  errors ${x.errors}${s.foreign > 0.1 ? `  (other work: ${fmt(s.foreign, 1)} cores)` : ""}${s.problems.length ? `  ${s.problems.join("; ")}` : ""}`,
        );
      }
    }
    const [ours, theirs, floor] = sides.map((side) => figures(samples.get(side)!, probeProblems.get(side)!));
    out.push({ row, ours: ours!, theirs: theirs!, ...(floor ? { floor } : {}) });
  }
  return out;
}

function headersFor(side: Side, req: Req): Record<string, string> {
  return req.body ? { cookie: side.cookie, "content-type": "application/json" } : { cookie: side.cookie };
}

/** One request before measuring, its status and body checked. */
async function probe(row: VsRow, side: Side): Promise<string[]> {
  if (row.storedKeys) return []; // each sample's deletes are checked against the database instead
  const req = typeof row.request === "function" ? row.request(-1, []) : row.request;
  const res = await fetch(side.url + req.path, { method: req.method, headers: headersFor(side, req), body: req.body });
  const text = await res.text();
  const ok = row.ok ? row.ok.includes(res.status) : res.status >= 200 && res.status < 300;
  if (!ok) return [`probe answered ${res.status}: ${text.slice(0, 200)}`];
  if (!row.check) return [];
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [`probe answered non-JSON: ${text.slice(0, 200)}`];
  }
  const problem = row.check(body);
  return problem ? [`probe: ${problem}`] : [];
}

async function sample(row: VsRow, side: Side, o: VsOptions, seconds: number): Promise<Sample> {
  const ids = row.storedKeys ? await side.seedKeys(Math.ceil(KEYS_PER_SECOND * seconds)) : [];
  let issued = 0;
  const spec: Omit<LoadSpec, "url" | "connections" | "duration"> =
    typeof row.request === "function"
      ? (() => {
          const next = row.request;
          return {
            setupRequest: (r) => {
              const req = next(issued++, ids);
              return { ...r, method: req.method, path: req.path, headers: headersFor(side, req), body: req.body };
            },
          };
        })()
      : { method: row.request.method, path: row.request.path, headers: headersFor(side, row.request), body: row.request.body };
  if (row.providerPath) await fetch(`${o.fakeUrl}/__fake/reset`, { method: "POST" });

  const snap0: CpuSnapshot = cpuSnapshot();
  const client0 = process.cpuUsage();
  const cpu0 = treeCpuMs(side.rootPid);
  const t0 = Date.now();
  const result = await runLoad({ ...spec, url: side.url, connections: row.connections, duration: seconds, ok: row.ok, keepLatencies: true });
  await settle(side.listenPid);
  const cpu1 = treeCpuMs(side.rootPid);
  const client = process.cpuUsage(client0);
  const snap1 = cpuSnapshot();
  const elapsed = (Date.now() - t0) / 1000;
  const db = dbCpu(snap0, snap1, side.database);

  const answered = result.latencies?.length ?? 0;
  const problems: string[] = [];
  if (row.providerPath) {
    const seen = (await (await fetch(`${o.fakeUrl}/__fake/requests`)).json()) as { path: string }[];
    const calls = seen.filter((r) => r.path === row.providerPath).length;
    // a request abandoned at the end of the sample may still have reached the provider
    if (calls < answered || calls > answered + row.connections) problems.push(`${calls} provider calls for ${answered} answers`);
  }
  if (row.storedKeys) {
    const deleted = ids.length - (await side.keysLeft(ids));
    if (issued > ids.length) problems.push(`ran out of stored keys (${issued} requests, ${ids.length} keys)`);
    else if (deleted < answered || deleted > issued) problems.push(`${deleted} stored keys deleted for ${answered} answers (${issued} sent)`);
    await side.clearKeys();
  }
  return {
    result,
    serverCpuMs: cpu1 - cpu0,
    dbCpuMs: db.mine,
    clientCpuMs: (client.user + client.system) / 1000,
    // foreignCores counts every PostgreSQL process as the bench's: other databases' backends are not
    foreign: foreignCores(snap0, snap1, o.benchPids, elapsed) + db.others / 1000 / elapsed,
    problems,
  };
}

/**
 * CPU time of PostgreSQL and Redis between two snapshots, ms: `mine` is Redis, PostgreSQL's background
 * processes and the backends of `database`; `others` the backends of other databases (other work).
 */
function dbCpu(a: CpuSnapshot, b: CpuSnapshot, database: string): { mine: number; others: number } {
  const out = { mine: 0, others: 0 };
  for (const [pid, p] of b) {
    if (!/^(postgres|redis-server)/.test(p.comm)) continue;
    const before = a.get(pid);
    const ms = before && p.ms >= before.ms ? p.ms - before.ms : p.ms;
    if (ms === 0) continue;
    const db = p.comm.startsWith("postgres") ? pgDatabaseOf(pid) : null;
    if (db === null || db === database) out.mine += ms;
    else out.others += ms;
  }
  return out;
}

/** A PostgreSQL backend's database, from its title (`postgres: [cluster: ]user database host(port) state`); null for other processes. */
function pgDatabaseOf(pid: number): string | null {
  try {
    const title = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
    return /^postgres: (?:\S+: )?\S+ (\S+) (?:\S+\(\d+\)|\[local\])/.exec(title)?.[1] ?? null;
  } catch {
    return null;
  }
}

function figures(samples: Sample[], probeProblems: string[]): SideFigures {
  const requests = samples.reduce((n, s) => n + s.result.requests, 0);
  // the server's CPU (and the databases') is until it is idle again: for every request sent, those a
  // sample's end abandoned included, which the server still finishes
  const sent = samples.reduce((n, s) => n + s.result.sent, 0);
  const seconds = samples.reduce((n, s) => n + s.result.seconds, 0);
  const latencies = samples.flatMap((s) => s.result.latencies ?? []).sort((a, b) => a - b);
  const pct = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]! : NaN);
  const statuses: Record<string, number> = {};
  for (const s of samples) for (const [k, n] of Object.entries(s.result.statuses)) statuses[k] = (statuses[k] ?? 0) + n;
  const sum = (f: (s: Sample) => number) => samples.reduce((n, s) => n + f(s), 0);
  return {
    samples,
    requests,
    rps: requests / seconds,
    p50: pct(50),
    p99: pct(99),
    errors: sum((s) => s.result.errors),
    statuses,
    cpuPerRequest: sum((s) => s.serverCpuMs) / sent,
    dbCpuPerRequest: sum((s) => s.dbCpuMs) / sent,
    clientCpuPerRequest: sum((s) => s.clientCpuMs) / sent,
    bytesPerResponse: sum((s) => s.result.bytesPerResponse * s.result.requests) / requests,
    foreign: Math.max(0, ...samples.map((s) => s.foreign)),
    problems: [...probeProblems, ...samples.flatMap((s) => s.problems)],
  };
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
const fmtInt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en") : "–");
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${fmt(a / b)}×` : "–");

/** The report's section: setup, the side-by-side table, and the per-sample details and checks. */
export function sideBySideReport(results: VsResult[], a: { referenceDir: string; versions: string; duration: number; warmup: number; rounds: number; peakRss: { ours: number; theirs: number } }): string {
  const L: string[] = [];
  L.push("## Side by side with the service we replace", "");
  L.push(
    `The Python service LLM Hub replaces (Ops Center's Provider Keys API, from \`${a.referenceDir}\`): ${a.versions}. ` +
      "Its own fresh PostgreSQL database (dropped afterwards) and Redis db 11 for its sessions, on the same PostgreSQL and Redis as the app; " +
      "its key tests go to the same fake provider. Both list the same 9 rows (the app's, copied into its table; OpenAI and Anthropic with a stored key, the same keys). " +
      "Its own key-test limit (10 per minute, in the process) is kept at its production size: the bench's launcher trims its list of timestamps to the last 9 before each check, so each check passes and costs what it costs at the limit's edge; " +
      "the app runs with KEY_TESTS_PER_MINUTE=1000000 (its Redis limit is still spent per test and save). " +
      `Each row: one probe request per side (status and body checked), ${a.warmup} s of warm-up per side, then ${a.rounds} samples of ${a.duration} s per side, interleaved ours, theirs, ours, theirs…; ` +
      "req/s over all samples, p50 and p99 over all their answers. " +
      "CPU/req is the server's CPU time (its process and any children) from the sample's start until it is idle again, divided by the requests sent (those the sample's end left unanswered included: the server still finishes them); " +
      "PG+Redis CPU/req is what that side's PostgreSQL backends, PostgreSQL's background processes and Redis spent meanwhile (only one side is under load at a time; other databases' backends count as other work). " +
      "Test and save: the fake provider must see exactly one call per answer; delete: each sample gets freshly seeded stored keys (custom endpoints; the app removes the row, the reference sets its key to NULL) and the database must show one key gone per answer.",
    "",
  );
  L.push(
    "| row | conns | req/s ours | req/s theirs | ours / theirs | p50 ours | p50 theirs | p50 ours / theirs | p99 ours | p99 theirs | CPU/req ours | CPU/req theirs | errors ours / theirs | target |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
  );
  for (const { row, ours, theirs } of results) {
    L.push(
      `| ${row.label} | ${row.connections} | ${fmtInt(ours.rps)} | ${fmtInt(theirs.rps)} | **${ratio(ours.rps, theirs.rps)}** | ${fmt(ours.p50)} ms | ${fmt(theirs.p50)} ms | ${ratio(ours.p50, theirs.p50)} | ` +
        `${fmt(ours.p99)} ms | ${fmt(theirs.p99)} ms | ${fmt(ours.cpuPerRequest)} ms | ${fmt(theirs.cpuPerRequest)} ms | ${errors(ours)} / ${errors(theirs)} | ${target(row, ours, theirs)} |`,
    );
  }
  L.push("");
  L.push(
    "ours / theirs: above 1× the app serves more requests per second; p50 ours / theirs: below 1× the app answers faster. " +
      `Target: at least ${TARGET_RATIO}× their throughput on every row, and at 1 connection a p50 no higher than theirs.`,
    "",
  );
  L.push(`Peak RSS over these rows: ours ${fmt(a.peakRss.ours, 0)} MiB, theirs ${fmt(a.peakRss.theirs, 0)} MiB.`, "");
  const floors = results.filter((r) => r.floor);
  if (floors.length) {
    L.push(
      "**The floor for these rows in Node.** The delete rows also ran, interleaved with the two sides above, against a bare `node:http` server " +
        "(bench/baseline.ts) doing the app's work for a delete with the app's libraries: the cached unseal of the session cookie, the sessions token pushed to the process (the app's ConfigWatch) " +
        "with the session row cached under it, the app's own delete statement (the same text, prepared, with the same audit record) on postgres.js, and for a removed key " +
        "the gateway token replaced and announced as the app does it (ConfigWatch.announce) and the app's log line. No Next.js, no Web `Request`, none of our request layer (origin check, error mapping, security headers). " +
        "What the same work costs in Node on this machine, whatever the framework:",
      "",
      "| row | conns | req/s floor | floor / theirs | p50 floor | p50 floor / theirs | CPU/req floor | ours / floor (req/s) |",
      "|---|--:|--:|--:|--:|--:|--:|--:|",
    );
    for (const { row, ours, theirs, floor } of floors) {
      L.push(
        `| ${row.label} | ${row.connections} | ${fmtInt(floor!.rps)} | **${ratio(floor!.rps, theirs.rps)}** | ${fmt(floor!.p50)} ms | ${ratio(floor!.p50, theirs.p50)} | ${fmt(floor!.cpuPerRequest)} ms | ${ratio(ours.rps, floor!.rps)} |`,
      );
    }
    L.push("");
  }
  L.push("| row | conns | side | req/s per sample | requests | PG+Redis CPU/req | load generator CPU/req | bytes/resp | statuses | checks |", "|---|--:|---|---|--:|--:|--:|--:|---|---|");
  for (const { row, ours, theirs, floor } of results) {
    for (const [name, f] of [["ours", ours], ["theirs", theirs], ...(floor ? [["floor", floor] as const] : [])] as const) {
      const checks = [...f.problems.map((p) => `**${p}**`), ...(f.foreign > 0.1 ? [`**disturbed: other processes used up to ${fmt(f.foreign, 1)} cores**`] : [])];
      L.push(
        `| ${row.label} | ${row.connections} | ${name} | ${f.samples.map((s) => fmtInt(s.result.rps)).join(", ")} | ${fmtInt(f.requests)} | ${fmt(f.dbCpuPerRequest)} ms | ${fmt(f.clientCpuPerRequest)} ms | ${fmtInt(f.bytesPerResponse)} | ` +
          `${Object.entries(f.statuses).map(([s, n]) => `${fmtInt(n)}×${s}`).join(", ")} | ${checks.length ? checks.join("; ") : "ok"} |`,
      );
    }
  }
  L.push("");
  return L.join("\n");
}

const TARGET_RATIO = 1.2;

function target(row: VsRow, ours: SideFigures, theirs: SideFigures): string {
  const missed: string[] = [];
  if (!(ours.rps >= TARGET_RATIO * theirs.rps)) missed.push(`throughput < ${TARGET_RATIO}×`);
  if (row.connections === 1 && !(ours.p50 <= theirs.p50)) missed.push("p50 above theirs");
  return missed.length ? `**missed** (${missed.join(", ")})` : "met";
}

function errors(f: SideFigures): string {
  return f.errors ? `**${fmtInt(f.errors)}**` : "0";
}
