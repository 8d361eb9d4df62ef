// The usage tables on the embedded database of zero-setup mode (PGlite): the day partitions with
// their DEFAULT, the one-statement batch write with rollups and month totals, a retried batch
// counted once, costs from the seeded price table, and retention by dropping whole days.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUsageInputs } from "@/test/support/usage-records";

let root: string;
const DAY = 24 * 3600 * 1000;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "llmhub-usage-"));
  Object.assign(process.env, { DATA_DIR: root, LOG_LEVEL: "error", USAGE_RETENTION_DAYS: "90", USAGE_ROLLUP_RETENTION_DAYS: "730" });
  for (const v of ["DATABASE_URL", "REDIS_URL"]) delete process.env[v];
  const { getDb } = await import("@/lib/db/client");
  const { migrate } = await import("@/lib/db/migrate");
  await migrate(await getDb());
  await (await import("./price-cache")).seedPriceTable();
}, 120_000);

afterAll(async () => {
  await (await import("@/lib/db/client")).closeDb();
  rmSync(root, { recursive: true, force: true });
});

async function q<T>(text: string): Promise<T[]> {
  const { getDb } = await import("@/lib/db/client");
  const { sql } = await import("drizzle-orm");
  const { rowsOf } = await import("@/lib/db/rows");
  return rowsOf<T>(await (await getDb()).execute(sql.raw(text)));
}

async function newBatcher(batchSize = 1000) {
  const { UsageBatcher } = await import("./batcher");
  const { insertUsageBatch } = await import("@/lib/usage/batch-queries");
  const { currentPrices } = await import("./price-cache");
  const errors: unknown[] = [];
  const b = new UsageBatcher({
    batchSize,
    flushIntervalMs: 20,
    maxQueued: 100_000,
    write: async (r) => void (await insertUsageBatch(r)),
    prices: () => currentPrices(),
    onError: (e) => errors.push(e),
    onDropped: () => {},
  });
  return { b, errors };
}

describe("usage tables on PGlite", () => {
  it("creates day partitions ahead and a DEFAULT partition", async () => {
    const { maintainUsage, PARTITION_DAYS_AHEAD } = await import("./maintenance");
    const out = await maintainUsage();
    expect(out.created).toBe(PARTITION_DAYS_AHEAD + 2);
    expect((await maintainUsage()).created).toBe(0); // idempotent
    const parts = await q<{ n: number }>(`select count(*)::int as n from pg_inherits where inhparent = 'usage_records'::regclass`);
    expect(parts[0]!.n).toBe(PARTITION_DAYS_AHEAD + 3);
  });

  it("writes N records as N rows in ceil(N / batch) statements, with rollups equal to the records", async () => {
    const { b, errors } = await newBatcher(500);
    const inputs = makeUsageInputs(1200, { seed: 7 });
    for (const i of inputs) b.enqueue(i);
    expect(await b.drain(30_000)).toBe(0);
    expect(errors).toEqual([]);
    expect(b.stats).toMatchObject({ statements: 3, written: 1200, dropped: 0 });
    const [rec] = await q<Record<string, string>>(`select count(*) n, sum(input_tokens) i, sum(output_tokens) o, sum(cost_usd) c,
      count(*) filter (where cost_source = 'unpriced') u, count(*) filter (where cost_source = 'provider') p, count(*) filter (where error_code is not null) e from usage_records`);
    const [roll] = await q<Record<string, string>>(`select sum(requests) n, sum(input_tokens) i, sum(output_tokens) o, sum(cost_usd) c, sum(unpriced_requests) u,
      sum(errors) e, sum((select sum(x) from unnest(latency_hist) x)) h from usage_rollups`);
    expect(Number(rec!.n)).toBe(1200);
    expect(Number(roll!.n)).toBe(1200);
    expect(Number(roll!.h)).toBe(1200);
    for (const k of ["i", "o", "u", "e"]) expect(Number(roll![k]), k).toBe(Number(rec![k]));
    expect(Number(roll!.c)).toBeCloseTo(Number(rec!.c), 8);
    expect(Number(rec!.p)).toBeGreaterThan(0); // openrouter's own cost
    expect(Number(rec!.u)).toBeGreaterThan(0); // the unpriced model and failed requests
    // a priced model's cost is the price table's: gpt-4.1-mini
    const [priced] = await q<{ n: number }>(`select count(*)::int n from usage_records where model_requested = 'openai/gpt-4.1-mini' and input_tokens is not null and cost_source <> 'price_table'`);
    expect(priced!.n).toBe(0);
    const [daily] = await q<Record<string, string>>(`select sum(requests) n, sum(input_tokens) i, sum(cost_usd) c from usage_rollups_daily`);
    expect(Number(daily!.n)).toBe(1200);
    expect(Number(daily!.i)).toBe(Number(rec!.i));
    expect(Number(daily!.c)).toBeCloseTo(Number(rec!.c), 8);
    const [months] = await q<{ n: string; c: string }>(`select sum(requests) n, sum(cost_usd) c from usage_key_months`);
    expect(Number(months!.n)).toBe(1200);
    expect(Number(months!.c)).toBeCloseTo(Number(rec!.c), 8);
  });

  it("reads a range from whole days of daily rollups and hourly rollups at its edges, equal to the records", async () => {
    const { insertUsageBatch } = await import("@/lib/usage/batch-queries");
    const { sumRollups } = await import("@/lib/usage/report-queries");
    const { normalizeInput } = await import("./record");
    const HOUR = 3600_000;
    const now = Math.floor(Date.now() / HOUR) * HOUR;
    let k = 0;
    // one record every 7 hours over the last 6 days: several days, and hours on both edges
    const batch = makeUsageInputs(20, { seed: 21, at: () => new Date(now - 6 * DAY + k++ * 7 * HOUR + 60_000) }).map((i) => ({ ...normalizeInput(i), costUsd: 0.5, costSource: "provider" as const }));
    await insertUsageBatch(batch);
    for (const [from, to] of [
      [now - 5 * DAY - 5 * HOUR, now - HOUR * 3],
      [now - 6 * DAY, now],
      [now - 20 * HOUR, now - 2 * HOUR],
    ] as const) {
      const [direct] = await q<{ n: number }>(`select count(*)::int n from usage_records where started_at >= '${new Date(from).toISOString()}' and started_at < '${new Date(to).toISOString()}'`);
      const [viaRollups] = await sumRollups(new Date(from), new Date(to), null);
      expect(viaRollups!.requests, `${new Date(from).toISOString()}..${new Date(to).toISOString()}`).toBe(direct!.n);
    }
  });

  it("stores text PostgreSQL would refuse (NUL, a lone surrogate) as replacement characters instead of failing the batch", async () => {
    const { b, errors } = await newBatcher(10);
    const [input] = makeUsageInputs(1, { seed: 31 });
    b.enqueue({ ...input!, requestId: "req-odd-text", modelRequested: "openai/gpt\u0000-x\ud800", errorCode: "e\udc00" });
    expect(await b.drain(10_000)).toBe(0);
    expect(errors).toEqual([]);
    const [row] = await q<{ model_requested: string; error_code: string }>(`select model_requested, error_code from usage_records where request_id = 'req-odd-text'`);
    expect(row).toEqual({ model_requested: "openai/gpt\ufffd-x\ufffd", error_code: "e\ufffd" });
  });

  it("drops and counts a batch the database keeps refusing, so later records are not held up", async () => {
    const { UsageBatcher } = await import("./batcher");
    const { getDb } = await import("@/lib/db/client");
    const { sql } = await import("drizzle-orm");
    const { isDatabaseOutage } = await import("@/lib/errors");
    let dropped = 0;
    const b = new UsageBatcher({
      batchSize: 100,
      flushIntervalMs: 10,
      maxQueued: 1000,
      maxBackoffMs: 20,
      // a real refusal: the statement names a table that does not exist
      write: async () => void (await (await getDb()).execute(sql`insert into no_such_table values (1)`)),
      prices: async () => new Map(),
      onError: () => {},
      onDropped: (n) => (dropped += n),
      isRefusal: (err) => !isDatabaseOutage(err),
    });
    for (const i of makeUsageInputs(7, { seed: 41 })) b.enqueue(i);
    expect(await b.drain(10_000)).toBe(0);
    expect(dropped).toBe(7);
    expect(b.stats).toMatchObject({ dropped: 7, failedAttempts: 5, written: 0 });
  });

  it("counts a batch written twice (its first answer lost) once", async () => {
    const { insertUsageBatch } = await import("@/lib/usage/batch-queries");
    const { normalizeInput } = await import("./record");
    const batch = makeUsageInputs(10, { seed: 9 }).map((i) => ({ ...normalizeInput(i), costUsd: null, costSource: "unpriced" as const }));
    const [before] = await q<{ n: string }>(`select sum(requests) n from usage_rollups`);
    expect((await insertUsageBatch(batch)).inserted).toBe(10);
    expect((await insertUsageBatch(batch)).inserted).toBe(0);
    const [after] = await q<{ n: string }>(`select sum(requests) n from usage_rollups`);
    expect(Number(after!.n) - Number(before!.n)).toBe(10);
  });

  it("keeps rows of a day without a partition in DEFAULT, then moves them into the day's partition", async () => {
    const { insertUsageBatch } = await import("@/lib/usage/batch-queries");
    const { createUsagePartition, partitionName } = await import("@/lib/usage/partition-queries");
    const { normalizeInput } = await import("./record");
    const day = new Date(Math.floor(Date.now() / DAY) * DAY - 20 * DAY);
    const batch = makeUsageInputs(5, { seed: 3, at: () => new Date(day.getTime() + 3600_000) }).map((i) => ({ ...normalizeInput(i), costUsd: null, costSource: "unpriced" as const }));
    await insertUsageBatch(batch);
    const inDefault = async () =>
      (await q<{ n: number }>(`select count(*)::int n from usage_records_default where started_at >= '${day.toISOString()}' and started_at < '${new Date(day.getTime() + DAY).toISOString()}'`))[0]!.n;
    expect(await inDefault()).toBe(5);
    expect(await createUsagePartition(day)).toBe(true);
    expect(await inDefault()).toBe(0);
    expect((await q<{ n: number }>(`select count(*)::int n from ${partitionName(day)}`))[0]!.n).toBe(5);
  });

  it("drops whole days past USAGE_RETENTION_DAYS and keeps their rollups", async () => {
    const { insertUsageBatch } = await import("@/lib/usage/batch-queries");
    const { createUsagePartition, partitionName } = await import("@/lib/usage/partition-queries");
    const { maintainUsage } = await import("./maintenance");
    const { normalizeInput } = await import("./record");
    const old = new Date(Math.floor(Date.now() / DAY) * DAY - 100 * DAY);
    await createUsagePartition(old);
    const batch = makeUsageInputs(4, { seed: 4, at: () => new Date(old.getTime() + 60_000) }).map((i) => ({ ...normalizeInput(i), costUsd: null, costSource: "unpriced" as const }));
    await insertUsageBatch(batch);
    const out = await maintainUsage();
    expect(out.dropped).toEqual([partitionName(old)]);
    expect((await q<{ n: number }>(`select count(*)::int n from pg_class where relname = '${partitionName(old)}'`))[0]!.n).toBe(0);
    const [roll] = await q<{ n: number }>(`select coalesce(sum(requests), 0)::int n from usage_rollups where hour >= '${old.toISOString()}' and hour < '${new Date(old.getTime() + DAY).toISOString()}'`);
    expect(roll!.n).toBe(4);
  });
});
