/**
 * `npm run bench:usage`: the usage write path and the usage API's reads, against a fresh PostgreSQL
 * database (127.0.0.1:5432), in this process, through the code the app runs (lib/usage/recorder.ts,
 * lib/usage/report.ts). Prints the figures and writes them to bench/usage-results.md.
 *
 * 1. Statements per 1,000 records: records fed to recordUsage() at a steady rate (and as one burst)
 *    with the app's defaults (USAGE_BATCH_SIZE 1000, USAGE_FLUSH_INTERVAL_MS 1000). Counted twice: by
 *    the batcher (statements that succeeded) and by PostgreSQL (xact_commit of the database, read
 *    after the statistics are flushed; nothing else connects to it meanwhile).
 * 2. Summary query time over a year of hourly rollups (synthetic: GROUPS rows per hour for 365
 *    days), per group_by and for 30 days, plus the time series; median of ROUNDS runs.
 *
 * Run it through `tsx --conditions=react-server` (lib modules import "server-only"), as the script does.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import os from "node:os";
import postgres from "postgres";
import { deriveDailyRollups } from "./usage-rollups";
import { makeUsageInputs } from "../test/support/usage-records";

const GROUPS = Number(process.env.BENCH_USAGE_GROUPS ?? 120);
const ROUNDS = 5;
const admin = postgres("postgres://postgres@127.0.0.1:5432/postgres", { max: 1, onnotice: () => {} });
const dbName = `llmhub_bench_usage_${randomBytes(4).toString("hex")}`;
const url = `postgres://postgres@127.0.0.1:5432/${dbName}`;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, d = 1) => n.toFixed(d);

async function commits(): Promise<number> {
  // the statistics of other backends reach pg_stat_database when they flush (idle: within ~10 s)
  const [row] = await admin<{ n: string }[]>`select xact_commit::text n from pg_stat_database where datname = ${dbName}`;
  return Number(row?.n ?? 0);
}

async function settledCommits(): Promise<number> {
  let last = -1;
  for (;;) {
    await pause(11_000);
    await admin`select pg_stat_clear_snapshot()`;
    const n = await commits();
    if (n === last) return n;
    last = n;
  }
}

async function main() {
  await admin.unsafe(`create database ${dbName}`);
  Object.assign(process.env, { DATABASE_URL: url, LOG_LEVEL: "warn", DATABASE_POOL_MAX: "4" });
  const lines: string[] = [];
  const say = (s = "") => {
    console.log(s);
    lines.push(s);
  };
  try {
    const { getDb, closeDb } = await import("../lib/db/client");
    const { migrate } = await import("../lib/db/migrate");
    await migrate(await getDb());
    await (await import("../lib/usage/price-cache")).seedPriceTable();
    await (await import("../lib/usage/maintenance")).maintainUsage();
    const { recordUsage, usageRecorder } = await import("../lib/usage/recorder");
    const { getEnv } = await import("../lib/env");
    const env = getEnv();

    say("# Usage write path and usage API reads");
    say();
    say(`Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "cpu"}), PostgreSQL at 127.0.0.1:5432, \`npm run bench:usage\`.`);
    say(`Recorder settings: USAGE_BATCH_SIZE ${env.USAGE_BATCH_SIZE}, USAGE_FLUSH_INTERVAL_MS ${env.USAGE_FLUSH_INTERVAL_MS} (the defaults).`);
    say();
    say("## Statements per 1,000 records");
    say();
    say("| load | records | statements (batcher) | transactions (PostgreSQL) | per 1,000 records | write time per 1,000 records |");
    say("|---|--:|--:|--:|--:|--:|");
    let seed = 1;
    const scenarios: { label: string; perSecond: number | null; seconds: number; total: number }[] = [
      { label: "steady 2,000 records/s", perSecond: 2000, seconds: 10, total: 20_000 },
      { label: "steady 200 records/s", perSecond: 200, seconds: 10, total: 2_000 },
      { label: "one burst", perSecond: null, seconds: 0, total: 20_000 },
    ];
    for (const s of scenarios) {
      const b = usageRecorder();
      await settledCommits();
      const c0 = await commits();
      const st0 = b.stats.statements;
      const written0 = b.stats.written;
      let writeMs = 0;
      const t0 = performance.now();
      if (s.perSecond === null) {
        for (const i of makeUsageInputs(s.total, { seed: seed++ })) recordUsage(i);
      } else {
        const tick = 50;
        const perTick = (s.perSecond * tick) / 1000;
        for (let sent = 0; sent < s.total; ) {
          const start = performance.now();
          for (const i of makeUsageInputs(perTick, { seed: seed++ })) recordUsage(i);
          sent += perTick;
          await pause(Math.max(0, tick - (performance.now() - start)));
        }
      }
      while (b.stats.written - written0 < s.total) await pause(20);
      writeMs = performance.now() - t0;
      const statements = b.stats.statements - st0;
      const tx = (await settledCommits()) - c0;
      // the statistics reads run on another connection (the admin database): not counted here
      say(`| ${s.label} | ${s.total.toLocaleString("en")} | ${statements} | ${tx} | ${fmt((tx / s.total) * 1000, 2)} | ${s.perSecond === null ? `${fmt(writeMs / (s.total / 1000))} ms` : "(paced)"} |`);
    }
    say();
    say("PostgreSQL's count includes the price-table read the batcher makes once a minute; each batch is one statement (records, hourly and daily rollups and month totals together).");
    say("Below USAGE_BATCH_SIZE records per USAGE_FLUSH_INTERVAL_MS a batch holds what arrived in one interval, so a slow trickle costs about one statement a second (200 records/s: above 5 per 1,000); a longer interval lowers that at the price of staler budget checks.");

    say();
    say(`## Usage API over a year of hourly rollups (${GROUPS} groups per hour)`);
    say();
    const db = postgres(url, { max: 1, onnotice: () => {} });
    const g0 = performance.now();
    await db.unsafe(`
      insert into usage_rollups (hour, provider_type, route, model, hub_key_id, provider_key_id, requests, errors, incomplete, unpriced_requests,
        input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost_usd, latency_ms_sum, latency_ms_max, latency_hist)
      select h, r.route, r.route, r.route || '/model-' || (g % 6), ('00000000-0000-4000-8000-' || lpad(to_hex(g % 25), 12, '0'))::uuid,
        ('00000000-0000-4000-9000-' || lpad(to_hex(g % 8), 12, '0'))::uuid, 40, 2, 1, 3, 40000, 12000, 5000, 0, 0.75, 40 * 1200, 9000,
        '{0,1,3,6,6,6,5,4,3,2,2,1,1,0,0,0,0,0,0,0,0,0}'::int[]
      from generate_series(date_trunc('hour', now()) - interval '365 days', date_trunc('hour', now()), interval '1 hour') h
      cross join generate_series(0, ${GROUPS - 1}) g
      cross join lateral (select (array['openai','anthropic','google','groq','mistral','openrouter'])[1 + g % 6] as route) r
      on conflict do nothing`);
    const { hourly: rollupRows, daily: dailyRows } = await deriveDailyRollups(db);
    say(`${rollupRows.toLocaleString("en")} hourly and ${dailyRows.toLocaleString("en")} daily rollup rows (generated in ${fmt((performance.now() - g0) / 1000)} s). A range reads whole days from the daily rows and its partial first and last days from the hourly ones.`);
    say();
    say("Each summary is two queries (the groups and the totals) plus the percentiles from the summed histograms, through lib/usage/report.ts.");
    say();
    say("| query | median | range |");
    say("|---|--:|--:|");
    const { usageSummary, usageTimeseries } = await import("../lib/usage/report");
    const now = new Date();
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86400_000);
    const queries: [string, () => Promise<unknown>][] = [
      ...(["provider", "model", "hub_key", "provider_key"] as const).map((groupBy): [string, () => Promise<unknown>] => [`summary, 365 days, group_by=${groupBy}`, () => usageSummary({ from: daysAgo(365), to: now, groupBy })]),
      ["summary, 30 days, group_by=model", () => usageSummary({ from: daysAgo(30), to: now, groupBy: "model" })],
      ["timeseries, 365 days, interval=day, group_by=provider", () => usageTimeseries({ from: daysAgo(365), to: now, interval: "day", groupBy: "provider" })],
      ["timeseries, 31 days, interval=hour, no group", () => usageTimeseries({ from: daysAgo(31), to: now, interval: "hour", groupBy: null })],
    ];
    for (const [label, run] of queries) {
      await run(); // warm
      const times: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const t = performance.now();
        await run();
        times.push(performance.now() - t);
      }
      say(`| ${label} | ${fmt(median(times))} ms | ${fmt(Math.min(...times))}–${fmt(Math.max(...times))} ms |`);
    }
    await db.end();
    await (await import("../lib/usage/recorder")).stopUsageRecorder(5000);
    await closeDb();
  } finally {
    await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
    await admin.end();
  }
  writeFileSync("bench/usage-results.md", `${lines.join("\n")}\n`);
  console.log("\nwritten to bench/usage-results.md");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
