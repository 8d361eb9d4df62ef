/** The report of `npm run bench:gateway`: the tables, the issue's targets met or missed, in Markdown. */
import { existsSync, readFileSync } from "node:fs";
import type { machine } from "./procs";

export type TargetKey = "direct" | "floor" | "portkey" | "ours";

/** A row of the load phases: the four targets, Next's trivial route, and (32 connections) the floor and ours in two processes each. */
export type LoadKey = TargetKey | "next-floor" | "floor-2" | "ours-2";

export interface LoadRow {
  key: LoadKey;
  label: string;
  connections: number;
  requests: number;
  rps: number;
  rpsRange: [number, number];
  p50: number;
  p99: number;
  errors: number;
  statuses: Record<string, number>;
  cpuMsPerRequest: number;
  /**
   * The whole machine's busy CPU time (every process: the target, the fake, the load generator,
   * PostgreSQL, Redis, the kernel) per answered request, and the machine's busy share (0..1, mean
   * of the samples): what one request costs the chain, and whether the chain had a core to spare.
   */
  machineMsPerRequest: number;
  machineBusy: number;
  /** The most CPU (in cores) other processes on the machine used during one of its samples. */
  foreignCores: number;
}

export interface TtfbRow {
  key: TargetKey;
  label: string;
  samples: number;
  failed: number;
  /** Time to the first byte of the body. */
  p50: number;
  p99: number;
  /** Time to the first content chunk. */
  firstChunkP50: number;
  firstChunkP99: number;
  /**
   * The same request not streamed, sent the same way (same client and connection, interleaved with
   * the streams): its whole answer's time. Against it, what a stream's first byte costs beyond any
   * request's.
   */
  plainP50: number;
  plainP99: number;
}

export interface StreamRow {
  key: TargetKey;
  label: string;
  streams: number;
  failed: number;
  /** Worst chunk: its delay from the fake's write to the client, beyond the least delayed chunk's. */
  maxLate: number;
  /** The same against the nominal schedule (chunk i due i × interval after the first): the fake's timer jitter included. */
  maxNominalLate: number;
  spread: [number, number];
  gapMin: number;
  gapMax: number;
}

export interface SlowRow {
  key: TargetKey;
  label: string;
  streams: number;
  completed: number;
  fakeCompleted: number;
  seconds: number;
  rssBefore: number;
  peakRss: number;
  p99Late: number;
  errors: string[];
}

export interface GatewayResults {
  started: Date;
  finished: Date;
  machine: ReturnType<typeof machine>;
  commit: string;
  build: string;
  busyAtStart: number;
  command: string;
  duration: number;
  rounds: number;
  /** Seconds of load per target before each load phase's samples. */
  warmup: number;
  ttfbSamples: number;
  drip: { chunks: number; ms: number };
  slow: { chunks: number; ms: number };
  checks: string[];
  one: LoadRow[];
  many: LoadRow[];
  /** Each target's requests back to back (the target's figure). */
  ttfb: TtfbRow[];
  /** The same, request by request across the targets. */
  ttfbInterleaved: TtfbRow[];
  chunks: StreamRow[];
  slowRows: SlowRow[];
  /** The app's own count over the whole run (its shutdown line): usage records written, and in how many statements. */
  usageRun: { records: number; statements: number } | null;
}

const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : "–");
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en") : "–");
const by = <R extends { key: string }>(rows: R[], key: string) => rows.find((r) => r.key === key);
const MIB_TO_MB = 1.048576;

/** The steady-load row of bench/usage-results.md (`npm run bench:usage`): statements per 1,000 records. */
function usageStatements(): { perThousand: number; line: string } | null {
  const file = "bench/usage-results.md";
  if (!existsSync(file)) return null;
  const text = readFileSync(file, "utf8");
  const row = /^\| steady 2,000 records\/s \|.*\| ([\d.]+) \| [^|]+ \|$/m.exec(text);
  const when = /^Measured (\S+)/m.exec(text)?.[1] ?? "?";
  return row ? { perThousand: Number(row[1]), line: `${row[1]} statements per 1,000 records at a steady 2,000 records/s (bench/usage-results.md, measured ${when} by \`npm run bench:usage\`)` } : null;
}

/** The two-process rows of the 32-connection phase and the floor's best (one process or two), when both were run. */
function twoProcesses(many: LoadRow[]): { floor2: LoadRow; ours2: LoadRow; best: number } | null {
  const floor = by(many, "floor");
  const floor2 = by(many, "floor-2");
  const ours2 = by(many, "ours-2");
  if (!floor || !floor2 || !ours2) return null;
  return { floor2, ours2, best: Math.max(floor.rps, floor2.rps) };
}

export function gatewayReport(r: GatewayResults): string {
  const L: string[] = [];
  const m = r.machine;
  L.push("# Gateway benchmark", "");
  L.push(`Command: \`${r.command}\` · ${r.started.toISOString().replace("T", " ").slice(0, 16)} UTC · commit ${r.commit}`, "");
  L.push(`Machine: ${m.cpu}, ${m.cores} cores (\`nproc\`), ${f(m.ramGiB, 1)} GiB RAM, Node ${m.node}, ${m.kernel}. ${f(r.busyAtStart * 100, 0)}% of the CPU was busy with other work just before the run.`, "");
  L.push(
    "Setup: four targets, each in its own process, all in front of the same fake OpenAI-compatible provider (test/fake-provider, its own process, loopback): " +
      "(a) the fake called directly; (b) bench/passthrough.ts, a bare node:http proxy piping both ways over a keep-alive agent (the floor); " +
      "(c) `@portkey-ai/gateway` 1.15.2 (`start-server.js --headless`, headers `x-portkey-provider: openai` and `x-portkey-custom-host: <fake>/openai/v1`, `@hono/node-server` pinned to 1.13.5); " +
      "(d) ours: the production build started with `npm start`'s command (NODE_ENV=production, LOG_LEVEL=info, log to a file), a fresh PostgreSQL database, Redis db 9, " +
      "an OpenAI key saved through the API with PROVIDER_BASE_URL_OPENAI at the fake, and a hub key with an rpm limit and a monthly budget (so the rate limit and the budget check run on every request). " +
      `Body: \`{"model": M, "stream": …, "max_tokens": 64, "messages": [one user message]}\`, the same for every target but that ours takes \`openai/M\` (the fake receives \`M\` from all four). ` +
      `Load by autocannon in the bench process (keep-alive, no pipelining): ${r.rounds} rounds, each running every target once for ${r.duration} s in a rotated order, after a ${r.warmup} s warm-up per target; ` +
      `percentiles over the pooled latencies of the ${r.rounds} samples (exact, 200 answers only). Build: ${r.build}.`,
    "",
  );
  L.push("Correctness, checked before measuring:", "", ...r.checks.map((c) => `- ${c}`), "");
  L.push("During every load sample the fake's own count of 200 answers was at least the target's count of 200 answers (each answer really went through the fake).", "");

  const direct1 = by(r.one, "direct")!;
  const disturbed = [...r.one, ...r.many].filter((x) => x.foreignCores > 0.1);
  L.push(
    disturbed.length
      ? `**Other processes on the machine used CPU during the load samples (up to ${f(Math.max(...disturbed.map((x) => x.foreignCores)), 1)} of ${m.cores} cores): those figures are disturbed, the absolute ones more than the interleaved comparisons.**`
      : "No other process used a noticeable share of the CPU during the load samples.",
    "",
  );
  L.push("## Non-streaming chat, 1 connection", "");
  L.push("| target | p50 ms | p99 ms | added p50 | added p99 | server CPU / request | requests | errors |", "|---|--:|--:|--:|--:|--:|--:|--:|");
  for (const x of r.one) {
    const added = x.key === "direct" || x.key === "next-floor" ? ["", ""] : [f(x.p50 - direct1.p50), f(x.p99 - direct1.p99)];
    L.push(`| ${x.label} | ${f(x.p50)} | ${f(x.p99)} | ${added[0]} | ${added[1]} | ${f(x.cpuMsPerRequest)} ms | ${int(x.requests)} | ${x.errors} |`);
  }
  L.push("", "Added = the target's percentile minus direct's. Server CPU is the serving process's (for (a) the fake's own). (d') is a trivial route of the same app: what `next start` costs per request before any gateway code runs.", "");

  const floor32 = by(r.many, "floor")!;
  L.push("## Non-streaming chat, 32 connections", "");
  L.push("| target | req/s | samples' range | p50 ms | p99 ms | % of the floor | server CPU / request | machine CPU / request | machine busy | errors |", "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
  for (const x of r.many) {
    L.push(
      `| ${x.label} | ${int(x.rps)} | ${int(x.rpsRange[0])}–${int(x.rpsRange[1])} | ${f(x.p50)} | ${f(x.p99)} | ${x.key === "direct" || x.key === "next-floor" ? "" : `${f((x.rps / floor32.rps) * 100, 0)}%`} | ${f(x.cpuMsPerRequest)} ms | ${f(x.machineMsPerRequest)} ms | ${f(x.machineBusy * 100, 0)}% | ${x.errors} |`,
    );
  }
  L.push(
    "",
    `All processes share the machine's ${m.cores} cores with autocannon, the fake, PostgreSQL and Redis. Machine CPU / request is the whole machine's busy time per answer (the target, the fake, the load generator, the services, the kernel): ` +
      `once the machine is busy near 100%, no target can answer more than ${m.cores} cores' time divided by it, however many processes it runs; a target in one process is also bounded by its own core (1 s of CPU divided by its server CPU / request).`,
    "",
  );
  const two = twoProcesses(r.many);
  if (two) {
    const { floor2, ours2, best } = two;
    L.push(
      `(b2) and (d2) serve from two processes each (node:cluster sharing the port: bench/passthrough-workers.ts, and ours as \`npm start\` runs with WEB_CONCURRENCY=2), their server CPU the whole process tree's. ` +
        `The floor's best here is ${floor2.rps > floor32.rps ? "two processes" : "one process"} (${int(best)} req/s); ours in two processes makes ${f((ours2.rps / best) * 100, 0)}% of it, in one ${f((by(r.many, "ours")!.rps / best) * 100, 0)}%.`,
      "",
    );
  }

  const directT = by(r.ttfb, "direct")!;
  L.push("## Streaming: time to first byte", "");
  L.push(
    `Streamed chats (5 content chunks written at once) on one connection per target, each followed or preceded by the same chat not streamed on the same connection. ` +
      `Back to back: ${r.rounds} rounds, each sending every target (in a rotated order) ${r.ttfbSamples} of each, one after another, like the 1-connection load rows ` +
      "(which kind goes first alternates). Interleaved: the same number request by request across the targets.",
    "",
  );
  const ttfbTable = (rows: TtfbRow[]) => {
    const d = by(rows, "direct")!;
    L.push(
      "| target | TTFB p50 ms | p99 ms | added p50 | added p99 | first content chunk p50 / p99 ms | not streamed: whole answer p50 / p99 ms | its added p50 | the stream's own share of its added p50 | failed |",
      "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    );
    for (const x of rows) {
      const direct = x.key === "direct";
      const added = direct ? ["", ""] : [f(x.p50 - d.p50), f(x.p99 - d.p99)];
      const plainAdded = direct ? "" : f(x.plainP50 - d.plainP50);
      const own = direct ? "" : f(x.p50 - d.p50 - (x.plainP50 - d.plainP50));
      L.push(`| ${x.label} | ${f(x.p50)} | ${f(x.p99)} | ${added[0]} | ${added[1]} | ${f(x.firstChunkP50)} / ${f(x.firstChunkP99)} | ${f(x.plainP50)} / ${f(x.plainP99)} | ${plainAdded} | ${own} | ${x.failed} |`);
    }
  };
  L.push("Back to back:", "");
  ttfbTable(r.ttfb);
  L.push("", "Interleaved request by request:", "");
  ttfbTable(r.ttfbInterleaved);
  L.push(
    "",
    "TTFB = from writing the request to the first byte of the response body; these requests come from a node:http client in the bench process (slower than autocannon, for every target). " +
      "The last column is the streamed first byte's added time minus the non-streamed answer's: what streaming itself adds. " +
      "Interleaved, each request finds its target idle since its previous one while the other three answered (up to ~30 ms behind Portkey's stream); on this kind of VM a process that sat idle answers its next request later, " +
      "more so the more processes a request crosses (ours: the fake, Redis), for a streamed and a non-streamed request alike (bench/NOTES.md, \"A stream's first byte\").",
    "",
  );

  L.push(`## Streaming: inter-chunk timing (${r.drip.chunks} chunks ${r.drip.ms} ms apart)`, "");
  L.push(
    `${r.rounds} streams per target, one at a time. A chunk's delay is its arrival at the client minus the time the fake wrote it (the fake's own record); ` +
      "its lateness is that delay beyond the least delayed chunk's of the same stream (a constant delay is the TTFB above, not lateness); the worst chunk of all streams. " +
      `Against the nominal schedule (chunk i due i × ${r.drip.ms} ms after the first) it also includes the fake's own timer jitter.`,
    "",
  );
  L.push("| target | worst lateness vs the fake's writes | worst vs nominal | spread first→last chunk | gaps min–max | failed |", "|---|--:|--:|--:|--:|--:|");
  for (const x of r.chunks) L.push(`| ${x.label} | ${f(x.maxLate)} ms | ${f(x.maxNominalLate)} ms | ${f(x.spread[0], 0)}–${f(x.spread[1], 0)} ms | ${f(x.gapMin, 1)}–${f(x.gapMax, 1)} ms | ${x.failed} |`);
  L.push("");

  L.push(`## ${r.slowRows[0]?.streams ?? 0} concurrent slow streams (${r.slow.chunks} chunks ${r.slow.ms} ms apart)`, "");
  L.push("| target | complete at the client | completed by the fake | wall time | RSS before | peak RSS (VmHWM) | p99 worst lateness vs nominal |", "|---|--:|--:|--:|--:|--:|--:|");
  for (const x of r.slowRows) {
    L.push(`| ${x.label} | ${x.completed}/${x.streams}${x.errors.length ? ` (${x.errors.join("; ")})` : ""} | ${x.fakeCompleted} | ${f(x.seconds, 1)} s | ${f(x.rssBefore, 0)} MiB | ${f(x.peakRss, 0)} MiB | ${f(x.p99Late, 1)} ms |`);
  }
  L.push("", "Peak RSS of the serving process (VmHWM reset through /proc/<pid>/clear_refs before the streams; for (a) the fake's).", "");

  const usage = usageStatements();
  const run = r.usageRun;
  const runPerThousand = run && run.records > 0 ? (run.statements / run.records) * 1000 : NaN;
  L.push(
    "## Usage write path",
    "",
    run
      ? `This run, under the gateway's own load: ${int(run.records)} usage records in ${int(run.statements)} statements, ${f(runPerThousand)} per 1,000 (every phase; the app's count, from its shutdown line).`
      : "This run: the app did not report its usage statements at shutdown.",
    "",
    usage ? `${usage.line}.` : "bench/usage-results.md is missing: run `npm run bench:usage`.",
    "",
  );

  const ours1 = by(r.one, "ours")!;
  const pk1 = by(r.one, "portkey")!;
  const ours32 = by(r.many, "ours")!;
  const pk32 = by(r.many, "portkey")!;
  const oursT = by(r.ttfb, "ours")!;
  const oursC = by(r.chunks, "ours")!;
  const oursS = by(r.slowRows, "ours")!;
  const nominal = (r.drip.chunks - 1) * r.drip.ms;
  const t: [string, string, string, boolean][] = [
    ["1 conn: added p50 over direct", "≤ 1.5 ms", `${f(ours1.p50 - direct1.p50)} ms`, ours1.p50 - direct1.p50 <= 1.5],
    ["1 conn: added p50 below Portkey's", `< ${f(pk1.p50 - direct1.p50)} ms`, `${f(ours1.p50 - direct1.p50)} ms`, ours1.p50 - direct1.p50 < pk1.p50 - direct1.p50],
    ["1 conn: added p99 below Portkey's", `< ${f(pk1.p99 - direct1.p99)} ms`, `${f(ours1.p99 - direct1.p99)} ms`, ours1.p99 - direct1.p99 < pk1.p99 - direct1.p99],
    ["32 conns: throughput ≥ Portkey's", `≥ ${int(pk32.rps)} req/s`, `${int(ours32.rps)} req/s`, ours32.rps >= pk32.rps],
    ["32 conns: throughput ≥ 50% of the floor", `≥ ${int(floor32.rps / 2)} req/s`, `${int(ours32.rps)} req/s (${f((ours32.rps / floor32.rps) * 100, 0)}%)`, ours32.rps >= floor32.rps / 2],
    ...(two ? [["32 conns, two processes each: ≥ 50% of the floor's best", `≥ ${int(two.best / 2)} req/s`, `${int(two.ours2.rps)} req/s (${f((two.ours2.rps / two.best) * 100, 0)}%)`, two.ours2.rps >= two.best / 2] as [string, string, string, boolean]] : []),
    [
      "stream: added time to first byte (p50)",
      "≤ 2 ms",
      `${f(oursT.p50 - directT.p50)} ms back to back (interleaved: ${f(by(r.ttfbInterleaved, "ours")!.p50 - by(r.ttfbInterleaved, "direct")!.p50)} ms)`,
      oursT.p50 - directT.p50 <= 2,
    ],
    ["stream: each chunk ≤ 5 ms late", "≤ 5 ms", `${f(oursC.maxLate)} ms (vs nominal ${f(oursC.maxNominalLate)} ms)`, oursC.failed === 0 && oursC.maxLate <= 5],
    [`stream: spread over ~${f(nominal / 1000, 2)} s`, `${nominal} ms ± 5%`, `${f(oursC.spread[0], 0)}–${f(oursC.spread[1], 0)} ms`, oursC.spread[0] >= nominal * 0.95 && oursC.spread[1] <= nominal * 1.05],
    [`${oursS.streams} slow streams: all complete`, `${oursS.streams}/${oursS.streams}`, `${oursS.completed}/${oursS.streams}`, oursS.completed === oursS.streams],
    [`${oursS.streams} slow streams: peak RSS`, "≤ 300 MB", `${f(oursS.peakRss * MIB_TO_MB, 0)} MB (${f(oursS.peakRss, 0)} MiB)`, oursS.peakRss * MIB_TO_MB <= 300],
    ["usage: statements per 1,000 records (this run)", "≤ 5", Number.isFinite(runPerThousand) ? f(runPerThousand) : "not measured", runPerThousand <= 5],
  ];
  L.push("## Targets (issue 12)", "", "| target | goal | ours | |", "|---|---|---|---|");
  for (const [what, goal, got, met] of t) L.push(`| ${what} | ${goal} | ${got} | ${met ? "met" : "**missed**"} |`);
  L.push("", `Run took ${f((r.finished.getTime() - r.started.getTime()) / 60000, 1)} min.`);
  return L.join("\n");
}
