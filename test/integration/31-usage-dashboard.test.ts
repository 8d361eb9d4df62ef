// The Usage tab's one request (issue 13): GET /api/v1/llm/usage/dashboard answers the range's totals
// against the previous range of the same length, the groups ranked, the chart per hour or day (top
// groups plus "Other") and error rate and latency per provider, all equal to what was recorded; the
// provider_key filter narrows the dashboard, the summary and the CSV alike. Records are written by the
// recorder in this process (services mode) into a day of 2025 that nothing else in the suite touches.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Client, signedIn } from "../support/client";
import { admin, isServices } from "../support/context";
import { withSql } from "../support/db";
import { makeUsageInputs, prng } from "../support/usage-records";

const USAGE = "/api/v1/llm/usage";
const services = isServices();
const DAY = "2025-06-10";
const PREV = "2025-06-09";
let c: Client;

beforeAll(async () => {
  c = await signedIn(admin("usage"));
  if (services) Object.assign(process.env, { DATABASE_URL: inject("databaseUrl"), LOG_LEVEL: "error", USAGE_FLUSH_INTERVAL_MS: "50", USAGE_BUDGET_CACHE_SECONDS: "0" });
});
afterAll(async () => {
  if (!services) return;
  await (await import("@/lib/usage/recorder")).stopUsageRecorder(5000);
  await (await import("@/lib/db/client")).closeDb();
});

interface Point {
  requests: number;
  errors: number;
  hour: number;
  day: string;
  route: string;
  model: string;
  pk: string;
}

describe.skipIf(!services)("the Usage tab's dashboard", () => {
  const pkA = randomUUID();
  const pkB = randomUUID();
  const hubKeys = [randomUUID(), randomUUID()];
  const sent: Point[] = [];

  beforeAll(async () => {
    const { recordUsage } = await import("@/lib/usage/recorder");
    const rnd = prng(31);
    const at = (day: string) => () => new Date(`${day}T${String(Math.floor(rnd() * 24)).padStart(2, "0")}:${String(Math.floor(rnd() * 60)).padStart(2, "0")}:00Z`);
    for (const [day, n] of [[DAY, 900], [PREV, 300]] as const) {
      for (const input of makeUsageInputs(n, { seed: day === DAY ? 7 : 8, at: at(day), hubKeyIds: hubKeys, providerKeyIds: [pkA, pkA, pkB] })) {
        recordUsage(input);
        sent.push({ requests: 1, errors: input.errorCode ? 1 : 0, hour: input.startedAt.getUTCHours(), day, route: input.route, model: input.modelRequested ?? "", pk: input.providerKeyId! });
      }
    }
    const until = Date.now() + 20_000;
    for (;;) {
      const [row] = await withSql((sql) => sql<{ n: number }[]>`select count(*)::int n from usage_records where hub_key_id = any(${hubKeys}::uuid[])`);
      if (row!.n >= sent.length || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  const count = (f: (p: Point) => boolean) => sent.filter(f).length;

  it("answers the day's totals, the previous day's, ranked groups, and a chart with one bar per hour", async () => {
    const res = await c.get(`${USAGE}/dashboard?from=${DAY}&to=2025-06-11&group_by=model`);
    expect(res.status, res.text).toBe(200);
    const d = res.body;
    expect(d).toMatchObject({ group_by: "model", interval: "hour", provider_key: null, from: `${DAY}T00:00:00.000Z` });
    expect(d.totals.requests).toBe(count((p) => p.day === DAY));
    expect(d.previous).toMatchObject({ from: `${PREV}T00:00:00.000Z`, to: `${DAY}T00:00:00.000Z` });
    expect(d.previous.totals.requests).toBe(count((p) => p.day === PREV));
    expect(d.totals.error_rate).toBeCloseTo(d.totals.errors / d.totals.requests, 5);

    // ranked by requests, each model's count as recorded, and the groups add up to the totals
    const models = d.groups.map((g: { label: string; requests: number }) => [g.label, g.requests]);
    expect(models.map((m: [string, number]) => m[1])).toEqual([...models.map((m: [string, number]) => m[1])].sort((a, b) => b - a));
    for (const [label, n] of models) expect(n, label).toBe(count((p) => p.day === DAY && p.model === label));
    expect(d.groups.reduce((a: number, g: { requests: number }) => a + g.requests, 0)).toBe(d.totals.requests);

    // 24 hourly buckets; per hour, the stacked series add up to what was sent in that hour
    expect(d.chart.buckets).toHaveLength(24);
    expect(d.chart.buckets[5]).toBe(`${DAY}T05:00:00.000Z`);
    for (let h = 0; h < 24; h++) {
      const drawn = d.chart.series.reduce((a: number, s: { requests: number[] }) => a + s.requests[h]!, 0);
      expect(drawn, `hour ${h}`).toBe(count((p) => p.day === DAY && p.hour === h));
    }
    expect(d.chart.series.map((s: { label: string }) => s.label)).toEqual(d.groups.slice(0, 8).map((g: { label: string }) => g.label));

    // error rate and latency per provider
    for (const p of d.providers) {
      expect(p.requests, p.route).toBe(count((x) => x.day === DAY && x.route === p.route));
      expect(p.errors, p.route).toBe(count((x) => x.day === DAY && x.route === p.route && x.errors === 1));
      expect(p.latency_ms.p95).toBeGreaterThanOrEqual(p.latency_ms.p50);
    }
  });

  it("folds a long range into days and keeps one provider key when asked, in the summary and the CSV too", async () => {
    const month = await c.get(`${USAGE}/dashboard?from=2025-05-20&to=2025-06-19&group_by=provider`);
    expect(month.body.interval).toBe("day");
    expect(month.body.chart.buckets).toHaveLength(30);
    const i = month.body.chart.buckets.indexOf(`${DAY}T00:00:00.000Z`);
    expect(month.body.chart.series.reduce((a: number, s: { requests: number[] }) => a + s.requests[i]!, 0)).toBe(count((p) => p.day === DAY));

    const q = `from=${DAY}&to=2025-06-11&provider_key=${pkB.toUpperCase()}`;
    const only = await c.get(`${USAGE}/dashboard?${q}&group_by=provider_key`);
    expect(only.status, only.text).toBe(200);
    expect(only.body.provider_key).toBe(pkB);
    expect(only.body.groups.map((g: { id: string }) => g.id)).toEqual([pkB]);
    expect(only.body.totals.requests).toBe(count((p) => p.day === DAY && p.pk === pkB));
    expect(only.body.previous.totals.requests).toBe(count((p) => p.day === PREV && p.pk === pkB));

    const summary = await c.get(`${USAGE}/summary?${q}&group_by=model`);
    expect(summary.body.totals.requests).toBe(only.body.totals.requests);
    const csv = await c.get(`${USAGE}/export.csv?${q}&group_by=model`);
    const rows = csv.text.trim().split("\r\n").slice(1).map((l) => l.split(","));
    expect(rows.reduce((a, r) => a + Number(r[4]), 0)).toBe(only.body.totals.requests);
  });

  it("answers an empty range with no totals and a chart of empty buckets", async () => {
    const res = await c.get(`${USAGE}/dashboard?from=2021-03-01&to=2021-03-08`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totals: null, previous: { totals: null }, groups: [], providers: [], interval: "hour" });
    expect(res.body.chart.buckets).toHaveLength(7 * 24);
    expect(res.body.chart.series).toEqual([]);
  });
});
