// Usage (issue 12 items 3-5): the recorder writes N records as N rows in few statements, rollups equal
// the records, the usage API reads them (with 400s that name the bad parameter), the price table is
// editable by admins only, and a hub key's budget alerts are raised once each. The recorder runs in
// this process against the suite's own database (services mode), as the gateway's route handlers will.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectError } from "../support/api";
import { type Client, signedIn } from "../support/client";
import { admin, isServices, users } from "../support/context";
import { withSql } from "../support/db";
import { makeUsageInputs } from "../support/usage-records";
import { type Receiver, startReceiver } from "../support/webhook-receiver";

const USAGE = "/api/v1/llm/usage";
const services = isServices();
let c: Client;

beforeAll(async () => {
  c = await signedIn(admin("usage"));
  if (services) {
    Object.assign(process.env, { DATABASE_URL: inject("databaseUrl"), LOG_LEVEL: "error", USAGE_FLUSH_INTERVAL_MS: "50", USAGE_BUDGET_CACHE_SECONDS: "0" });
  }
});
afterAll(async () => {
  if (!services) return;
  await (await import("@/lib/usage/recorder")).stopUsageRecorder(5000);
  await (await import("@/lib/db/client")).closeDb();
});

async function waitWritten(ids: string[], n: number) {
  const until = Date.now() + 20_000;
  for (;;) {
    const [row] = await withSql((sql) => sql<{ n: number }[]>`select count(*)::int n from usage_records where hub_key_id = any(${ids}::uuid[])`);
    if (row!.n >= n || Date.now() > until) return row!.n;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!services)("the recorder against PostgreSQL", () => {
  const hubKeys: string[] = [randomUUID(), randomUUID(), randomUUID()];
  const N = 2500;

  it("writes N records as exactly N rows in at most 5 statements per 1,000, with rollups equal to the records", async () => {
    const { recordUsage, usageRecorder } = await import("@/lib/usage/recorder");
    const before = usageRecorder().stats.statements;
    for (const input of makeUsageInputs(N, { seed: 12, hubKeyIds: hubKeys })) recordUsage(input);
    expect(await waitWritten(hubKeys, N)).toBe(N);
    expect(usageRecorder().stats.statements - before).toBeLessThanOrEqual(Math.ceil((N / 1000) * 5));
    const [rec, roll, month] = await withSql(async (sql) => [
      (await sql`select count(*)::int n, sum(input_tokens)::float8 i, sum(output_tokens)::float8 o, coalesce(sum(cost_usd), 0)::float8 c,
        count(*) filter (where error_code is not null)::int e from usage_records where hub_key_id = any(${hubKeys}::uuid[])`)[0]!,
      (await sql`select sum(requests)::int n, sum(input_tokens)::float8 i, sum(output_tokens)::float8 o, sum(cost_usd)::float8 c, sum(errors)::int e
        from usage_rollups where hub_key_id = any(${hubKeys}::uuid[])`)[0]!,
      (await sql`select sum(requests)::int n, sum(cost_usd)::float8 c from usage_key_months where hub_key_id = any(${hubKeys}::uuid[])`)[0]!,
    ]);
    expect(rec.n).toBe(N);
    expect({ n: roll.n, i: roll.i, o: roll.o, e: roll.e }).toEqual({ n: rec.n, i: rec.i, o: rec.o, e: rec.e });
    expect(roll.c).toBeCloseTo(rec.c, 8);
    expect(month.n).toBe(N);
    expect(month.c).toBeCloseTo(rec.c, 8);
  });

  it("summarises the rollups per hub key, provider and model, with percentiles, as JSON and CSV", async () => {
    const res = await c.get(`${USAGE}/summary?group_by=hub_key`);
    expect(res.status, res.text).toBe(200);
    const mine = res.body.groups.filter((g: { hub_key_id: string }) => hubKeys.includes(g.hub_key_id));
    expect(mine.reduce((a: number, g: { requests: number }) => a + g.requests, 0)).toBe(N);
    for (const g of mine) {
      expect(g.latency_ms.p50).toBeGreaterThanOrEqual(0);
      expect(g.latency_ms.p95).toBeGreaterThanOrEqual(g.latency_ms.p50);
      expect(g.latency_ms.max).toBeGreaterThanOrEqual(g.latency_ms.p95);
    }
    const requests = res.body.groups.map((g: { requests: number }) => g.requests);
    expect(requests).toEqual([...requests].sort((a, b) => b - a));
    expect(res.body.totals.requests).toBeGreaterThanOrEqual(N);

    const byModel = await c.get(`${USAGE}/summary?group_by=model`);
    expect(byModel.body.groups.find((g: { model: string }) => g.model === "openai/no-such-priced-model")?.unpriced_requests).toBeGreaterThan(0);

    const series = await c.get(`${USAGE}/timeseries?interval=hour&group_by=provider&from=${new Date(Date.now() - 3 * 3600_000).toISOString()}`);
    expect(series.status, series.text).toBe(200);
    const points = series.body.series.flatMap((s: { points: { requests: number }[] }) => s.points);
    expect(points.reduce((a: number, p: { requests: number }) => a + p.requests, 0)).toBeGreaterThanOrEqual(N);

    const csv = await c.get(`${USAGE}/export.csv?group_by=provider`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="llmhub-usage-provider-/);
    const lines = csv.text.trim().split("\r\n");
    expect(lines[0]).toBe("from,to,route,provider_type,requests,errors,incomplete,input_tokens,output_tokens,cached_tokens,reasoning_tokens,cost_usd,unpriced_requests,latency_ms_avg,latency_ms_p50,latency_ms_p95,latency_ms_max");
    expect(lines.slice(1).some((l) => l.includes(",openrouter,openrouter,"))).toBe(true);
  });

  it("writes the records it still holds when the process gets SIGTERM", async () => {
    const hubKeyId = randomUUID();
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "test/support/usage-sigterm-child.ts"], {
      cwd: process.cwd(),
      // a flush interval far beyond the test: only the shutdown can write these records
      env: { ...process.env, HUB_KEY_ID: hubKeyId, COUNT: "1500", USAGE_FLUSH_INTERVAL_MS: "60000", USAGE_BATCH_SIZE: "5000", NODE_ENV: "production", LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    const until = Date.now() + 30_000;
    while (!out.includes("queued 1500") && Date.now() < until && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain("queued 1500");
    expect(await waitWritten([hubKeyId], 0)).toBe(0);
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
    expect(code, out).toBe(0);
    expect(await waitWritten([hubKeyId], 1500)).toBe(1500);
    expect(out).toContain("Usage recorder stopped: every record written (1500 in 1 statement)");
  });

  it("raises the 80% and 100% budget alerts once each, in the bell and on a webhook", async () => {
    const receiver: Receiver = await startReceiver();
    try {
      const hook = await c.post("/api/v1/webhooks", { name: `budget ${randomUUID().slice(0, 6)}`, url: `${receiver.url}/hooks/budget`, kind: "generic" });
      expect(hook.status, hook.text).toBe(201);
      receiver.secret = hook.body.secret;
      const { checkBudget } = await import("@/lib/usage/budget");
      const { recordUsage } = await import("@/lib/usage/recorder");
      const key = { id: randomUUID(), monthlyBudgetUsd: 0.01, name: `budget-${randomUUID().slice(0, 6)}` };
      const spend = (usd: number) => {
        const [input] = makeUsageInputs(1, { seed: 5, hubKeyIds: [key.id] });
        recordUsage({ ...input!, route: "openrouter", providerType: "openrouter", providerCostUsd: usd, startedAt: new Date() });
      };
      expect(await checkBudget(key)).toMatchObject({ exceeded: false, spentUsd: 0 });
      for (let i = 0; i < 3; i++) spend(0.003); // 90%
      await waitWritten([key.id], 3);
      expect(await checkBudget(key)).toMatchObject({ exceeded: false });
      for (let i = 0; i < 3; i++) spend(0.003); // 180%
      await waitWritten([key.id], 6);
      const over = await checkBudget(key);
      expect(over).toMatchObject({ exceeded: true, budgetUsd: 0.01 });
      if (over.exceeded) expect(over.retryAfterSeconds).toBeGreaterThan(0);
      for (let i = 0; i < 5; i++) await checkBudget(key); // asking again raises nothing new
      const { hubKeyMonthUsage } = await import("@/lib/usage/report");
      const own = await hubKeyMonthUsage(key.id, key.monthlyBudgetUsd);
      expect(own).toMatchObject({ month: new Date().toISOString().slice(0, 7), requests: 6, budget: { monthly_usd: 0.01, remaining_usd: 0, exceeded: true } });
      expect(own.cost_usd).toBeCloseTo(0.018, 10);

      const sent = await receiver.waitFor((all) => all.filter((r) => r.json?.alert?.budget?.hub_key_id === key.id).length >= 2);
      const mine = sent.filter((r) => r.json?.alert?.budget?.hub_key_id === key.id);
      expect(mine.map((r) => r.json.event).sort()).toEqual(["budget.exceeded", "budget.warning"]);
      expect(mine.every((r) => r.signatureOk)).toBe(true);
      const bell = await c.get("/api/v1/notifications?limit=200");
      const alerts = bell.body.notifications.filter((n: { message: string }) => n.message.includes(key.name));
      expect(alerts.map((a: { kind: string }) => a.kind).sort()).toEqual(["budget_exceeded", "budget_warning"]);
      expect(alerts.find((a: { kind: string }) => a.kind === "budget_warning").message).toMatch(new RegExp(`^Hub key ${key.name}: \\d+% of its monthly budget used`));
      await new Promise((r) => setTimeout(r, 300));
      const [raised] = await withSql((sql) => sql<{ n: number }[]>`select count(*)::int n from alerts where hub_key_id = ${key.id}`);
      expect(raised!.n).toBe(2);
    } finally {
      await receiver.close();
    }
  });
});

describe("the usage API's parameters", () => {
  it.each([
    ["summary?from=yesterday", "from: must be an ISO 8601 date"],
    ["summary?from=2026-02-30", "from: is not a real date"],
    ["summary?group_by=team", "group_by: must be one of provider, model, hub_key, provider_key, source"],
    ["summary?from=2026-01-02&to=2026-01-01", "from: must be before to"],
    ["summary?from=2020-01-01&to=2026-01-01", "to: the range may span at most 731 days"],
    ["summary?grup_by=model", "unknown parameter 'grup_by'"],
    ["summary?to=2026-01-01&to=2026-02-01", "to: given more than once"],
    ["timeseries?interval=week", "interval: must be hour or day"],
    ["timeseries?interval=hour&from=2026-01-01&to=2026-03-01", "to: an hourly series may span at most 31 days"],
    ["timeseries?group_by=team", "group_by: must be one of provider, model, hub_key, provider_key, source"],
    ["dashboard?group_by=team", "group_by: must be one of provider, model, hub_key, provider_key, source"],
    ["dashboard?provider_key=openai", "provider_key: must be a provider key's id"],
    ["export.csv?provider_key=1", "provider_key: must be a provider key's id"],
    ["export.csv?from=2026-13-01", "from: is not a real date"],
    ["summary?from=0000-01-01&to=0000-01-02", "from: must not be before 1970"],
  ])("GET %s is a 400 naming the parameter", async (path, detail) => {
    const res = await c.get(`${USAGE}/${path}`);
    expectError(res, 400, "invalid_request");
    expect(res.body.detail).toContain(detail);
  });

  it("answers 200 or a 400 naming a parameter for any query string, never a 500", async () => {
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom("2026-11-01", "2026-11-01T12:00:00Z", "2026-11-01T12:00:00+05:30", "9999-12-31", "0000-01-01", "2026-02-29", "hour", "day", "model", "hub_key"),
      fc.date({ min: new Date("1970-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString()),
    );
    const name = fc.constantFrom("from", "to", "group_by", "interval", "provider_key", "x", "from[]", "");
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("summary", "timeseries", "export.csv", "dashboard"), fc.array(fc.tuple(name, value), { maxLength: 4 }), async (path, pairs) => {
        const qs = new URLSearchParams(pairs).toString();
        const res = await c.get(`${USAGE}/${path}?${qs}`);
        expect([200, 400], `${path}?${qs}: ${res.text.slice(0, 200)}`).toContain(res.status);
        if (res.status === 400) expect(res.body.detail).toMatch(/^(from|to|group_by|interval|provider_key|unknown parameter|[\w\[\]]*: given more than once)/);
      }),
      { numRuns: 150 },
    );
  });

  it("defaults to the last 30 days and answers an empty range with zeros", async () => {
    const res = await c.get(`${USAGE}/summary`);
    expect(res.status).toBe(200);
    expect(new Date(res.body.to).getTime() - new Date(res.body.from).getTime()).toBeGreaterThanOrEqual(30 * 86400_000);
    const empty = await c.get(`${USAGE}/summary?from=2020-01-01&to=2020-01-02`);
    expect(empty.body).toMatchObject({ groups: [], totals: { requests: 0, cost_usd: 0, latency_ms: { p50: null, p95: null } } });
  });

  it("is for admins only", async () => {
    const viewer = await signedIn(users().viewer);
    for (const p of ["summary", "timeseries", "export.csv", "prices", "dashboard"]) {
      expectError(await viewer.get(`${USAGE}/${p}`), 403, "forbidden");
      const anon = await fetch(`${inject("baseUrl")}${USAGE}/${p}`);
      expect(anon.status).toBe(401);
    }
  });
});

describe("the price table", () => {
  const PRICE = `${USAGE}/prices`;
  it("lists the seeded prices with their source and date", async () => {
    const res = await c.get(PRICE);
    expect(res.status).toBe(200);
    const mini = res.body.prices.find((p: { key: string }) => p.key === "openai/gpt-4.1-mini");
    expect(mini).toMatchObject({ origin: "seed", kind: "chat" });
    expect(mini.source).toMatch(/^https:\/\/|@ [0-9a-f]{40}/);
    expect(mini.source_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("sets, replaces and deletes a price (slashes in the model id), audited, and refuses bad input by name", async () => {
    const path = `${PRICE}/groq/${encodeURIComponent("acme")}/model-${randomUUID().slice(0, 6)}`;
    const created = await c.request("PUT", path, { input_per_mtok_usd: 1.5, output_per_mtok_usd: 3, cached_input_per_mtok_usd: 0.5 });
    expect(created.status, created.text).toBe(201);
    expect(created.body.price).toMatchObject({ route: "groq", origin: "admin", input_per_mtok_usd: 1.5, cached_input_per_mtok_usd: 0.5 });
    expect(created.body.price.model).toMatch(/^acme\/model-/);
    const replaced = await c.request("PUT", path, { input_per_mtok_usd: 2, output_per_mtok_usd: 4 });
    expect(replaced.status).toBe(200);
    expect(replaced.body.price.cached_input_per_mtok_usd).toBeNull();

    expectError(await c.request("PUT", path, { input_per_mtok_usd: -1, output_per_mtok_usd: 4 }), 400, "invalid_request", /input_per_mtok_usd: must not be negative/);
    expectError(await c.request("PUT", path, { input_per_mtok_usd: 1, output_per_mtok_usd: 4, cached_input_per_mtok_usd: 2 }), 400, "invalid_request", /cached_input_per_mtok_usd: must not exceed/);
    expectError(await c.request("PUT", path, { input_per_mtok_usd: 1 }), 400, "invalid_request", /output_per_mtok_usd/);
    expectError(await c.request("PUT", `${PRICE}/Bad%20Route/x`, { input_per_mtok_usd: 1, output_per_mtok_usd: 1 }), 400, "invalid_request", /^route:/);
    expectError(await c.request("PUT", path, { input_per_mtok_usd: 1, output_per_mtok_usd: 1 }, { origin: "https://evil.example" }), 403);
    expectError(await (await signedIn(users().viewer)).request("PUT", path, { input_per_mtok_usd: 1, output_per_mtok_usd: 1 }), 403, "forbidden");

    expect((await c.delete(path)).status).toBe(200);
    expectError(await c.delete(path), 404, "not_found");
    expect((await c.get(PRICE)).body.prices.some((p: { model: string }) => p.model === created.body.price.model)).toBe(false);
    if (services) {
      const rows = await withSql((sql) => sql<{ action: string; outcome: string }[]>`select action, outcome from audit_events where target = ${`groq/${created.body.price.model}`} order by id`);
      expect(rows.map((r) => r.action)).toEqual(["usage.price_set", "usage.price_set", "usage.price_delete"]);
    }
  });

  it.skipIf(!services)("keeps an admin's price and an admin's deletion when the seed runs again", async () => {
    const set = await c.request("PUT", `${PRICE}/openai/gpt-4.1-nano`, { input_per_mtok_usd: 9, output_per_mtok_usd: 9 });
    expect(set.status, set.text).toBe(200);
    expect((await c.delete(`${PRICE}/openai/gpt-4.1`)).status).toBe(200);
    const { seedPriceTable } = await import("@/lib/usage/price-cache");
    await seedPriceTable();
    const prices = (await c.get(PRICE)).body.prices as { key: string; input_per_mtok_usd: number }[];
    expect(prices.find((p) => p.key === "openai/gpt-4.1-nano")?.input_per_mtok_usd).toBe(9);
    expect(prices.some((p) => p.key === "openai/gpt-4.1")).toBe(false);
  });
});
