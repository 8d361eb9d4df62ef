// When the usage batcher writes: under a steady stream of records whose writes take a while (a
// loaded server), batches stay large (full ones, or one interval's worth) instead of one small batch
// per write's time; a load that fills batches makes only full ones; and no record waits longer
// than its interval plus the write in progress.
// The write is the batcher's own parameter here; the statement itself is tested on PostgreSQL in
// usage-store.test.ts and test/integration/19-usage.test.ts.
import { describe, expect, it } from "vitest";
import { makeUsageInputs } from "@/test/support/usage-records";
import { UsageBatcher } from "./batcher";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function steadyLoad(opts: { batchSize: number; flushIntervalMs: number; writeMs: number; perTick: number; tickMs: number; ticks: number }) {
  const queuedAt = new Map<string, number>();
  const batches: { size: number; oldestWaitMs: number }[] = [];
  const b = new UsageBatcher({
    batchSize: opts.batchSize,
    flushIntervalMs: opts.flushIntervalMs,
    maxQueued: 1_000_000,
    write: async (records) => {
      const now = performance.now();
      batches.push({ size: records.length, oldestWaitMs: Math.max(...records.map((r) => now - queuedAt.get(r.requestId)!)) });
      await sleep(opts.writeMs);
    },
    prices: async () => new Map(),
    onError: (err) => {
      throw err;
    },
    onDropped: () => {},
  });
  const inputs = makeUsageInputs(opts.perTick * opts.ticks, { seed: 3 });
  for (let t = 0; t < opts.ticks; t++) {
    for (const input of inputs.slice(t * opts.perTick, (t + 1) * opts.perTick)) {
      queuedAt.set(input.requestId, performance.now());
      b.enqueue(input);
    }
    await sleep(opts.tickMs);
  }
  expect(await b.drain(10_000)).toBe(0);
  return { batches, written: b.stats.written, statements: b.stats.statements };
}

describe("usage batcher timing", () => {
  it("writes one interval's records per statement under a steady load, not one small batch per write", async () => {
    // ~1,000 records/s for 1.5 s, 40 ms per write, a 300 ms interval: the old batcher wrote every
    // 40 ms once the first interval ran out (~30 statements of ~40 records)
    const r = await steadyLoad({ batchSize: 1000, flushIntervalMs: 300, writeMs: 40, perTick: 10, tickMs: 10, ticks: 150 });
    expect(r.written).toBe(1500);
    expect(r.statements).toBeLessThanOrEqual(10);
    // every record written within its interval, plus one write in progress and timer slack
    for (const batch of r.batches) expect(batch.oldestWaitMs).toBeLessThan(300 + 40 + 150);
  }, 20_000);

  it("makes no partial batch between full ones: the interval counts from the oldest record still queued", async () => {
    // 1,000 records/s, batches of 100 fill every ~100 ms; a 1 s interval never runs out for a
    // queued record. A timer armed by the first record (gone in the first batch) made a partial
    // batch once a second.
    const r = await steadyLoad({ batchSize: 100, flushIntervalMs: 1000, writeMs: 5, perTick: 10, tickMs: 10, ticks: 150 });
    expect(r.written).toBe(1500);
    expect(r.batches.map((b) => b.size)).toEqual(Array(15).fill(100));
  }, 20_000);

  it("still writes a full batch as soon as it is full", async () => {
    const r = await steadyLoad({ batchSize: 100, flushIntervalMs: 5_000, writeMs: 20, perTick: 25, tickMs: 10, ticks: 40 });
    expect(r.written).toBe(1000);
    expect(r.statements).toBe(10);
    expect(r.batches.every((b) => b.size === 100)).toBe(true);
    // nothing waited for the 5 s interval: a batch went out when it filled (~40 ms of records)
    for (const batch of r.batches) expect(batch.oldestWaitMs).toBeLessThan(1_000);
  }, 20_000);
});
