/**
 * The usage recorder (lib/usage/recorder.ts, in this process, as a gateway instance runs it) under a
 * steady stream of records while PostgreSQL is restarted, then stopped for a few seconds and
 * started again. Judged: recordUsage never throws or blocks; the batcher keeps what it could not
 * write and catches up by itself; every record is stored exactly once (count before = after, no
 * duplicate from a batch retried after an answer was lost); rollups still equal the records;
 * nothing was dropped (the outage is far below USAGE_QUEUE_MAX).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { makeUsageInputs } from "../support/usage-records";
import { pause, restartPg, startPg, stopPg, waitUntil } from "./support/services";
import postgres from "postgres";

const version = () => inject("faultsPgVersion");
const RATE_PER_S = 400;
const OUTAGE_MS = 3000;

describe("usage recorder across PostgreSQL restarts", () => {
  beforeAll(() => {
    Object.assign(process.env, { DATABASE_URL: inject("databaseUrl"), LOG_LEVEL: "error", USAGE_FLUSH_INTERVAL_MS: "100", USAGE_BATCH_SIZE: "200" });
  });
  afterAll(async () => {
    await startPg(version());
    await (await import("@/lib/usage/recorder")).stopUsageRecorder(5000);
    await (await import("@/lib/db/client")).closeDb();
  });

  it("stores every record exactly once and catches up by itself", async () => {
    const { recordUsage, usageRecorder } = await import("@/lib/usage/recorder");
    const hubKeys = [randomUUID(), randomUUID()];
    let sent = 0;
    let threw = 0;
    let slowest = 0;
    let running = true;
    const producer = (async () => {
      let seed = 1;
      while (running) {
        for (const input of makeUsageInputs(RATE_PER_S / 20, { seed: seed++, hubKeyIds: hubKeys })) {
          const t = performance.now();
          try {
            recordUsage(input);
            sent++;
          } catch {
            threw++;
          }
          slowest = Math.max(slowest, performance.now() - t);
        }
        await pause(50);
      }
    })();

    await pause(1500);
    await restartPg(version());
    await pause(1500);
    await stopPg(version());
    await pause(OUTAGE_MS);
    const pendingDuringOutage = usageRecorder().pending;
    await startPg(version());
    await pause(1500);
    running = false;
    await producer;

    const sql = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
    try {
      const count = async () => (await sql<{ n: number }[]>`select count(*)::int n from usage_records where hub_key_id = any(${hubKeys}::uuid[])`)[0]!.n;
      const caughtUpMs = await waitUntil("the batcher catches up after the outage", async () => (await count()) >= sent, 30_000, 200);
      expect(threw).toBe(0);
      expect(slowest).toBeLessThan(50); // enqueue only: no waiting on the database
      expect(pendingDuringOutage).toBeGreaterThan(RATE_PER_S); // it kept records while PostgreSQL was down
      expect(usageRecorder().stats.failedAttempts).toBeGreaterThan(0);
      expect(usageRecorder().stats.dropped).toBe(0);
      expect(usageRecorder().pending).toBe(0);
      expect(await count()).toBe(sent);
      const [dup] = await sql<{ n: number }[]>`select count(*)::int n from (select id from usage_records where hub_key_id = any(${hubKeys}::uuid[]) group by id having count(*) > 1) d`;
      expect(dup!.n).toBe(0);
      const [roll] = await sql<{ n: number }[]>`select sum(requests)::int n from usage_rollups where hub_key_id = any(${hubKeys}::uuid[])`;
      expect(roll!.n).toBe(sent);
      const [month] = await sql<{ n: number }[]>`select sum(requests)::int n from usage_key_months where hub_key_id = any(${hubKeys}::uuid[])`;
      expect(month!.n).toBe(sent);
      console.log(`usage recorder: ${sent} records, caught up ${Math.round(caughtUpMs)} ms after the load stopped, ${usageRecorder().stats.failedAttempts} failed attempts, ${usageRecorder().stats.statements} statements`);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});
