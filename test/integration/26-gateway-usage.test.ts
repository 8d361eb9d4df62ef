// The gateway's usage wiring end to end (issue 12): every request a hub key makes through the built
// app becomes exactly one usage record (refusals and cut streams included) with the fake provider's
// token counts and the right cost source, the rollups agree with the records, and the key reads its
// own month through GET /v1/usage. The recorder flushes in batches, so the tests poll for the rows.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { counts, openRouterCost } from "../fake-provider/usage";
import { type Client, type Json, signedIn } from "../support/client";
import { admin, isServices } from "../support/context";
import { withSql } from "../support/db";
import { compatBase, ensureProviderKey, issueHubKey, nativeBase, type IssuedKey } from "../support/gateway";

const services = isServices();
const PROMPT = "Say hello there"; // 3 words: the fake counts one token per word and replies with 5
const messages = [{ role: "user" as const, content: PROMPT }];

let c: Client;
let key: IssuedKey;
let openai: OpenAI;

interface UsageRow {
  request_id: string;
  route: string;
  endpoint: string;
  model_requested: string | null;
  stream: boolean;
  status_code: number;
  error_code: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  cost_source: string;
  completed: boolean;
}

/** The key's usage records once `n` are written (the batch flush is asynchronous), oldest first. */
async function recordsOf(hubKeyId: string, n: number): Promise<UsageRow[]> {
  const until = Date.now() + 20_000;
  for (;;) {
    const rows = await withSql(
      (sql) => sql<UsageRow[]>`select request_id, route, endpoint, model_requested, stream, status_code, error_code, input_tokens, output_tokens,
        cost_usd::float8 cost_usd, cost_source, completed from usage_records where hub_key_id = ${hubKeyId} order by started_at`,
    );
    if (rows.length >= n || Date.now() > until) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ownUsage = (hubKey?: string) => fetch(`${compatBase()}/usage`, { headers: hubKey ? { authorization: `Bearer ${hubKey}` } : {} });

beforeAll(async () => {
  c = await signedIn(admin("gateway-usage"));
  for (const type of ["openai", "anthropic", "groq", "openrouter"] as const) await ensureProviderKey(c, type);
  key = await issueHubKey(c, { name: "usage-wiring", owner: "integration", allowed: ["openai/*", "anthropic/*", "groq/*", "openrouter/*"] });
  openai = new OpenAI({ apiKey: key.key, baseURL: compatBase(), maxRetries: 0 });
});

describe("every gateway request becomes one usage record", () => {
  const expected: { id: string; match: Partial<UsageRow> }[] = [];
  const idOf = (r: Response) => r.headers.get("x-llmhub-request-id")!;
  const five = { input_tokens: 3, output_tokens: 5 };

  it("sends mixed requests through the hub", async () => {
    const chat = await openai.chat.completions.create({ model: "openai/gpt-4o-mini", messages }).withResponse();
    expected.push({ id: idOf(chat.response), match: { endpoint: "chat", stream: false, status_code: 200, ...five, cost_source: "price_table", completed: true } });

    // the hub asks the provider for the usage chunk for itself; a client that did not ask never sees it
    const quiet = await openai.chat.completions.create({ model: "openai/gpt-4o-mini", messages, stream: true }).withResponse();
    let quietUsage = false;
    for await (const chunk of quiet.data) if (chunk.usage) quietUsage = true;
    expect(quietUsage).toBe(false);
    expected.push({ id: idOf(quiet.response), match: { endpoint: "chat", stream: true, ...five, cost_source: "price_table", completed: true } });

    const asked = await openai.chat.completions
      .create({ model: "groq/llama-3.1-8b-instant", messages, stream: true, stream_options: { include_usage: true } })
      .withResponse();
    let askedUsage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of asked.data) if (chunk.usage) askedUsage = chunk.usage;
    expect(askedUsage).toMatchObject({ prompt_tokens: 3, completion_tokens: 5 });
    expected.push({ id: idOf(asked.response), match: { route: "groq", stream: true, ...five, cost_source: "price_table", completed: true } });

    const emb = await openai.embeddings.create({ model: "openai/text-embedding-3-small", input: ["one two", "three"] }).withResponse();
    expected.push({ id: idOf(emb.response), match: { endpoint: "embeddings", input_tokens: 3, output_tokens: 0, cost_source: "price_table", completed: true } });

    const anthropic = new Anthropic({ apiKey: key.key, baseURL: nativeBase("anthropic"), maxRetries: 0 });
    const msg = await anthropic.messages.create({ model: "claude-haiku-4-5", max_tokens: 64, messages }).withResponse();
    expected.push({ id: idOf(msg.response), match: { route: "anthropic", endpoint: "native", ...five, cost_source: "price_table", completed: true } });

    const unknown = await openai.chat.completions.create({ model: "openai/no-such-priced-model", messages }).withResponse();
    expected.push({ id: idOf(unknown.response), match: { ...five, cost_source: "unpriced", cost_usd: null, completed: true } });

    const routed = await openai.chat.completions.create({ model: "openrouter/meta-llama/llama-3.1-8b-instruct", messages }).withResponse();
    const orCost = openRouterCost(counts(3, 5, { cached: false, reasoning: false }));
    expected.push({ id: idOf(routed.response), match: { route: "openrouter", ...five, cost_source: "provider", cost_usd: orCost, completed: true } });

    const refused = await openai.chat.completions.create({ model: "mistral/mistral-small-latest", messages }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
    const refusedId = (refused as InstanceType<typeof OpenAI.PermissionDeniedError>).headers?.get("x-llmhub-request-id");
    expect(refusedId).toBeTruthy();
    expected.push({ id: refusedId!, match: { status_code: 403, error_code: "model_not_allowed", input_tokens: null, completed: false } });

    // the client walks away after two chunks of a ten-chunk stream (leaving the loop aborts the request)
    const cut = await openai.chat.completions.create({ model: "openai/gpt-4o-mini-drip-10x200", messages, stream: true }).withResponse();
    let seen = 0;
    for await (const chunk of cut.data) if (chunk.choices[0]?.delta?.content && ++seen === 2) break;
    expect(seen).toBe(2);
    expected.push({ id: idOf(cut.response), match: { stream: true, error_code: "client_closed", completed: false } });
  });

  it.skipIf(!services)("writes exactly N records with the provider's counts, the right cost source and matching rollups", async () => {
    const n = expected.length;
    expect(n).toBe(9);
    const rows = await recordsOf(key.id, n);
    await new Promise((r) => setTimeout(r, 1500)); // one more flush interval: nothing beyond N may arrive
    const again = await recordsOf(key.id, n);
    expect(again).toHaveLength(n);
    expect(rows.map((r) => r.request_id).sort()).toEqual(expected.map((e) => e.id).sort());
    for (const e of expected) {
      const row = rows.find((r) => r.request_id === e.id)!;
      expect(row, `record ${e.id}`).toMatchObject(e.match);
      if (e.match.cost_source === "price_table") expect(row.cost_usd, `cost of ${row.model_requested}`).toBeGreaterThan(0);
    }
    const [roll] = await withSql(
      (sql) => sql<{ n: number; i: number; o: number }[]>`select sum(requests)::int n, sum(input_tokens)::int i, sum(output_tokens)::int o
        from usage_rollups where hub_key_id = ${key.id}`,
    );
    const sum = (k: "input_tokens" | "output_tokens") => rows.reduce((s, r) => s + (r[k] ?? 0), 0);
    expect(roll).toEqual({ n, i: sum("input_tokens"), o: sum("output_tokens") });
  });

  it("GET /v1/usage: the key's own month, with the hub key and no session; not itself recorded", async () => {
    const until = Date.now() + 20_000;
    let body: Record<string, Json> = {};
    for (; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      const res = await ownUsage(key.key);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-llmhub-request-id")).toBeTruthy();
      body = await res.json();
      if (body.requests >= 9) break;
    }
    expect(body).toMatchObject({ object: "usage", month: new Date().toISOString().slice(0, 7), requests: 9, budget: null });
    expect(body.hub_key.id).toBe(key.id);
    expect(body.input_tokens).toBe(3 * 6 + 3); // six answered chats and the embeddings; the refusal and the cut stream report none
    expect(body.cost_usd).toBeGreaterThan(0);
    expect(JSON.stringify(body)).not.toContain(key.key);
    if (services) {
      await new Promise((r) => setTimeout(r, 1500)); // one more flush interval: the reads above add no record
      expect(await recordsOf(key.id, 9)).toHaveLength(9);
    }
  });

  it("GET /v1/usage without a hub key (or with a wrong one) is 401", async () => {
    for (const res of [await ownUsage(), await ownUsage(`${key.key.slice(0, -4)}0000`)]) {
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toMatch(/hub_key/);
    }
  });
});

describe("monthly budgets", () => {
  it("refuses with 429 budget_exceeded once spent, and raises the 80% and 100% alerts once each", async () => {
    const name = `budget-wiring-${Date.now().toString(36)}`;
    // each answer of 500 words costs OpenRouter's $0.001001 (1 input token, 500 output at $2/MTok)
    const budgeted = await issueHubKey(c, { name, owner: "integration", allowed: ["openrouter/*"], monthly_budget_usd: 0.0025 });
    const sdk = new OpenAI({ apiKey: budgeted.key, baseURL: compatBase(), maxRetries: 0 });
    const spend = () => sdk.chat.completions.create({ model: "openrouter/fake/model-words-500", messages: [{ role: "user", content: "hi" }] });
    const flushed = async (n: number) => {
      for (const until = Date.now() + 20_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
        const own = await (await ownUsage(budgeted.key)).json();
        if (own.requests >= n) return own;
      }
      throw new Error(`usage of ${n} requests not written within 20 s`);
    };
    for (let i = 1; i <= 3; i++) {
      await spend(); // the third crosses the budget: its price is known only after it
      await flushed(i);
    }
    const err = await spend().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const e = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.code).toBe("budget_exceeded");
    expect(Number(e.headers?.get("retry-after"))).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) await expect(spend()).rejects.toBeInstanceOf(OpenAI.RateLimitError);

    const own = await flushed(7); // the refusals are recorded too, at no cost
    expect(own.cost_usd).toBeCloseTo(3 * 0.001001, 9);
    expect(own.budget).toMatchObject({ monthly_usd: 0.0025, remaining_usd: 0, exceeded: true });

    let alerts: { kind: string; message: string }[] = [];
    for (const until = Date.now() + 20_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
      const bell = await c.get("/api/v1/notifications?limit=200");
      alerts = bell.body.notifications.filter((n: { message: string }) => n.message.includes(name));
      if (alerts.length >= 2) break;
    }
    expect(alerts.map((a) => a.kind).sort()).toEqual(["budget_exceeded", "budget_warning"]);
    if (services) {
      const [raised] = await withSql((sql) => sql<{ n: number }[]>`select count(*)::int n from alerts where hub_key_id = ${budgeted.id}`);
      expect(raised!.n).toBe(2);
    }
  });
});

describe("a model listing's usage record", () => {
  it("names the gateway as its provider and * as its route, so the summary shows no unnamed group", async () => {
    const lister = await issueHubKey(c, { name: `lister-${Date.now().toString(36)}`, owner: "integration", allowed: ["openai/*"] });
    const res = await fetch(`${compatBase()}/models`, { headers: { authorization: `Bearer ${lister.key}` } });
    expect(res.status).toBe(200);
    const id = res.headers.get("x-llmhub-request-id");
    if (services) {
      const [row] = await recordsOf(lister.id, 1);
      expect(row).toMatchObject({ request_id: id, endpoint: "models", route: "*", status_code: 200, completed: true });
      const [roll] = await withSql((sql) => sql<{ route: string; provider_type: string }[]>`select route, provider_type from usage_rollups where hub_key_id = ${lister.id}`);
      expect(roll).toEqual({ route: "*", provider_type: "gateway" });
    }
    const until = Date.now() + 20_000;
    let groups: { route: string; provider_type: string; requests: number }[] = [];
    for (; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      const summary = await c.get("/api/v1/llm/usage/summary?group_by=provider");
      expect(summary.status, summary.text).toBe(200);
      groups = summary.body.groups;
      if (groups.some((g) => g.provider_type === "gateway")) break;
    }
    expect(groups.find((g) => g.route === "*")).toMatchObject({ provider_type: "gateway" });
    expect(groups.find((g) => g.provider_type === "gateway")!.requests).toBeGreaterThanOrEqual(1);
  });
});
