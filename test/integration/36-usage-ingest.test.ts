// Usage from elsewhere (issue 13): POST /api/v1/llm/usage/events takes up to 1,000 records in the
// gateway's record shape from a hub key with the `ingest` scope, all or nothing, idempotent by
// request_id; the records count in the usage reports like the gateway's own. Hub key scopes: the
// gateway refuses a key without `gateway`, the ingest endpoint one without `ingest`.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { type Client, signedIn } from "../support/client";
import { admin } from "../support/context";
import { compatBase, HUB_KEYS, issueHubKey, type IssuedKey } from "../support/gateway";

const EVENTS = "/api/v1/llm/usage/events";
const tag = `ing${randomBytes(4).toString("hex")}`;
let c: Client;
let ingest: IssuedKey;
let gatewayOnly: IssuedKey;
let both: IssuedKey;

const post = (key: string | null, body: unknown) =>
  fetch(`${inject("baseUrl")}${EVENTS}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: await r.json() }));

/** A record in the gateway's shape, `i` minutes before now (within the hour's range the summary reads). */
const record = (id: string, i: number, over: Record<string, unknown> = {}) => ({
  request_id: `${tag}-${id}`,
  started_at: new Date(Date.now() - (i % 50) * 60_000).toISOString(),
  provider_type: "openai",
  model_requested: "gpt-4.1-mini",
  status_code: i % 10 === 0 ? 500 : 200,
  error_code: i % 10 === 0 ? "upstream_error" : null,
  latency_ms: 100 + i,
  input_tokens: 10 + i,
  output_tokens: 5 + (i % 7),
  cost_usd: 0.001,
  ...over,
});

async function keyMonth(id: string): Promise<{ requests: number; input_tokens: number; output_tokens: number; cost_usd: number }> {
  const res = await c.get(`${HUB_KEYS}/${id}`);
  expect(res.status, res.text).toBe(200);
  return res.body.hub_key.this_month;
}

async function summaryFor(hubKeyId: string) {
  const from = new Date(Date.now() - 3 * 3600_000).toISOString();
  const res = await c.get(`/api/v1/llm/usage/summary?group_by=hub_key&from=${encodeURIComponent(from)}`);
  expect(res.status, res.text).toBe(200);
  return res.body.groups.find((g: { hub_key_id: string }) => g.hub_key_id === hubKeyId);
}

/** The summary's requests by source over the last 3 hours, and the dashboard's groups of the same view. */
async function bySource(): Promise<{ summary: Record<string, number>; dashboard: { id: string; label: string; requests: number }[] }> {
  const from = encodeURIComponent(new Date(Date.now() - 3 * 3600_000).toISOString());
  const sum = await c.get(`/api/v1/llm/usage/summary?group_by=source&from=${from}`);
  expect(sum.status, sum.text).toBe(200);
  const dash = await c.get(`/api/v1/llm/usage/dashboard?group_by=source&from=${from}`);
  expect(dash.status, dash.text).toBe(200);
  return {
    summary: Object.fromEntries(sum.body.groups.map((g: { source: string; requests: number }) => [g.source, g.requests])),
    dashboard: dash.body.groups,
  };
}

beforeAll(async () => {
  c = await signedIn(admin("ingest"));
  ingest = await issueHubKey(c, { name: `${tag}-ingest`, scopes: ["ingest"] });
  gatewayOnly = await issueHubKey(c, { name: `${tag}-gateway` });
  both = await issueHubKey(c, { name: `${tag}-both`, scopes: ["ingest", "gateway"] });
});

describe("hub key scopes", () => {
  it("a new key has the gateway scope unless told otherwise; scopes are listed and can change", async () => {
    const listed = (await c.get(HUB_KEYS)).body.hub_keys as { id: string; scopes: string[] }[];
    expect(listed.find((k) => k.id === gatewayOnly.id)!.scopes).toEqual(["gateway"]);
    expect(listed.find((k) => k.id === ingest.id)!.scopes).toEqual(["ingest"]);
    expect(listed.find((k) => k.id === both.id)!.scopes).toEqual(["gateway", "ingest"]);
    const bad = await c.post(HUB_KEYS, { name: "no scopes", scopes: [] });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ detail: "scopes: must hold at least one scope (gateway, ingest)", code: "invalid_request" });
  });

  it("the gateway refuses a key without the gateway scope, in OpenAI's error shape; its own usage it may read", async () => {
    const refused = await fetch(`${compatBase()}/models`, { headers: { authorization: `Bearer ${ingest.key}` } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      error: { message: "This hub key does not have the 'gateway' scope (it has: ingest); an admin can add it on the Hub Keys tab", type: "permission_error", code: "missing_scope" },
    });
    const own = await fetch(`${compatBase()}/usage`, { headers: { authorization: `Bearer ${ingest.key}` } });
    expect(own.status).toBe(200);
    expect((await own.json()).hub_key.scopes).toEqual(["ingest"]);
    expect((await fetch(`${compatBase()}/models`, { headers: { authorization: `Bearer ${both.key}` } })).status).toBe(200);
  });

  it("the ingest endpoint refuses a key without the ingest scope (403), and a missing or unknown key (401)", async () => {
    expect(await post(gatewayOnly.key, [record("scope", 1)])).toEqual({
      status: 403,
      body: { detail: "This hub key does not have the 'ingest' scope (it has: gateway); an admin can add it on the Hub Keys tab", code: "missing_scope" },
    });
    expect(await post(null, [record("scope", 1)])).toMatchObject({ status: 401, body: { code: "invalid_hub_key" } });
    expect(await post(`llmhub_${"x".repeat(40)}`, [record("scope", 1)])).toMatchObject({ status: 401, body: { detail: "Invalid hub key", code: "invalid_hub_key" } });
  });
});

describe("POST /api/v1/llm/usage/events", () => {
  it("stores 1,000 records once: a second POST inserts none, and the reports count them exactly", async () => {
    const batch = Array.from({ length: 1000 }, (_, i) => record(`bulk-${i}`, i));
    const before = await bySource();
    const first = await post(ingest.key, batch);
    expect(first).toEqual({ status: 200, body: { success: true, received: 1000, inserted: 1000, duplicates: 0 } });
    const again = await post(ingest.key, batch);
    expect(again).toEqual({ status: 200, body: { success: true, received: 1000, inserted: 0, duplicates: 1000 } });

    const input = batch.reduce((a, r) => a + r.input_tokens, 0);
    const output = batch.reduce((a, r) => a + r.output_tokens, 0);
    const group = await summaryFor(ingest.id);
    expect(group).toMatchObject({ requests: 1000, errors: 100, input_tokens: input, output_tokens: output });
    expect(group.cost_usd).toBeCloseTo(1, 9);
    expect(await keyMonth(ingest.id)).toMatchObject({ requests: 1000, input_tokens: input, output_tokens: output });
    // grouped by source: the ingested records are told apart from the gateway's
    const after = await bySource();
    expect((after.summary.ingest ?? 0) - (before.summary.ingest ?? 0)).toBe(1000);
    expect(after.summary.gateway ?? 0).toBe(before.summary.gateway ?? 0);
    expect(after.dashboard.find((g) => g.id === "ingest")).toMatchObject({ label: "Ingested (sent from elsewhere)" });
  });

  it("refuses a batch with any bad record, naming each problem, and stores none of it", async () => {
    const good = record("atomic-good", 3);
    const res = await post(ingest.key, [good, record("atomic-bad", 4, { latency_ms: "slow", input_tokens: -1 }), { ...record("atomic-bad2", 5), colour: "red" }]);
    expect(res).toEqual({
      status: 400,
      body: {
        detail: "2 of 3 records are invalid; nothing was stored",
        code: "invalid_records",
        errors: [
          { index: 1, field: "latency_ms", message: "must be a number of milliseconds" },
          { index: 1, field: "input_tokens", message: "must not be negative" },
          { index: 2, field: null, message: "unknown field 'colour'" },
        ],
      },
    });
    expect(await post(ingest.key, { records: [good] })).toEqual({ status: 400, body: { detail: "Request body must be a JSON array of records", code: "invalid_request" } });
    expect(await post(ingest.key, [])).toMatchObject({ status: 400, body: { code: "invalid_request" } });
    expect((await post(ingest.key, Array.from({ length: 1001 }, (_, i) => record(`over-${i}`, i)))).body).toEqual({
      detail: "Request body holds 1001 records; send at most 1000 per request",
      code: "invalid_request",
    });
    // the good record of the refused batch was not stored: sending it alone inserts it
    expect((await post(ingest.key, [good])).body).toMatchObject({ inserted: 1, duplicates: 0 });
  });

  it("a record's hub key is the ingesting key unless it names another that exists, or none", async () => {
    const before = await keyMonth(both.id);
    const res = await post(ingest.key, [record("named", 2, { hub_key_id: both.id, input_tokens: 7 }), record("none", 2, { hub_key_id: null })]);
    expect(res.body).toMatchObject({ inserted: 2 });
    const after = await keyMonth(both.id);
    expect(after.requests - before.requests).toBe(1);
    expect(after.input_tokens - before.input_tokens).toBe(7);
    const unknown = await post(ingest.key, [record("ghost", 2, { hub_key_id: "00000000-0000-4000-8000-000000000000" })]);
    expect(unknown).toEqual({
      status: 400,
      body: { detail: "1 of 1 records name an unknown hub key; nothing was stored", code: "invalid_records", errors: [{ index: 0, field: "hub_key_id", message: "is not a hub key of this hub" }] },
    });
  });

  it("a key's rpm_limit counts its ingest calls with its gateway calls: over it, 429 rate_limited with Retry-After, and nothing stored", async () => {
    const limited = await issueHubKey(c, { name: `${tag}-rpm`, scopes: ["ingest", "gateway"], rpm_limit: 3 });
    expect((await fetch(`${compatBase()}/models`, { headers: { authorization: `Bearer ${limited.key}` } })).status).toBe(200);
    expect((await post(limited.key, [record("rpm-1", 1)])).status).toBe(200);
    expect((await post(limited.key, [record("rpm-2", 2)])).status).toBe(200);
    const third = record("rpm-3", 3);
    const over = await fetch(`${inject("baseUrl")}${EVENTS}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${limited.key}` },
      body: JSON.stringify([third]),
    });
    expect(over.status).toBe(429);
    expect(await over.json()).toEqual({ detail: "This hub key is limited to 3 requests per minute", code: "rate_limited" });
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // the same count refuses its gateway calls now
    const models = await fetch(`${compatBase()}/models`, { headers: { authorization: `Bearer ${limited.key}` } });
    expect(models.status).toBe(429);
    expect((await models.json()).error.code).toBe("rate_limited");
    // the refused batch stored nothing: the same record is new to a key without a limit
    expect(await post(ingest.key, [third])).toMatchObject({ status: 200, body: { inserted: 1, duplicates: 0 } });
  });

  it("a disabled or revoked key is refused at once", async () => {
    const temp = await issueHubKey(c, { name: `${tag}-temp`, scopes: ["ingest"] });
    expect((await post(temp.key, [record("temp-1", 1)])).status).toBe(200);
    expect((await c.patch(`${HUB_KEYS}/${temp.id}`, { enabled: false })).status).toBe(200);
    expect(await post(temp.key, [record("temp-2", 1)])).toMatchObject({ status: 401, body: { detail: "This hub key is disabled", code: "invalid_hub_key" } });
    expect((await c.patch(`${HUB_KEYS}/${temp.id}`, { enabled: true })).status).toBe(200);
    expect((await c.delete(`${HUB_KEYS}/${temp.id}`)).status).toBe(200);
    expect(await post(temp.key, [record("temp-3", 1)])).toMatchObject({ status: 401, body: { detail: "Invalid hub key", code: "invalid_hub_key" } });
  });
});
