// The OpenAPI document (GET /api/v1/openapi.json) tells the truth: real answers of the running app —
// successes and errors, admin API and gateway — match the schema the document gives for their
// operation and status. The coverage of routes and the OpenAPI 3.1 validity are unit tests
// (lib/openapi/document.test.ts).
import { randomBytes } from "node:crypto";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ApiResponse, type Client, signedIn } from "../support/client";
import { users } from "../support/context";
import { compatBase, ensureProviderKey, issueHubKey } from "../support/gateway";
import { providerKey, recordSecret } from "../support/keys";
import { type Receiver, startReceiver } from "../support/webhook-receiver";

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: object }> }> }>>; components: object };

let doc: Doc;
let admin: Client;
let receiver: Receiver;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();
const checked = new Set<string>();
let answers = 0;

beforeAll(async () => {
  admin = await signedIn(users().bootstrap);
  receiver = await startReceiver();
  const res = await admin.get("/api/v1/openapi.json");
  expect(res.status, res.text).toBe(200);
  doc = res.body;
});
afterAll(async () => {
  await receiver?.close();
});

/** The document's schema for an operation's answer with this status (the template path, e.g. /api/v1/webhooks/{id}). */
function validatorFor(method: string, template: string, status: number): ValidateFunction {
  const key = `${method} ${template} ${status}`;
  let v = compiled.get(key);
  if (!v) {
    const op = doc.paths[template]?.[method.toLowerCase()];
    expect(op, `the document has ${method} ${template}`).toBeDefined();
    const schema = op!.responses[String(status)]?.content?.["application/json"]?.schema;
    expect(schema, `the document has a JSON answer for ${key}`).toBeDefined();
    v = ajv.compile({ $id: `https://llmhub.invalid/${compiled.size}`, components: doc.components, ...schema });
    compiled.set(key, v);
  }
  return v;
}

/** The answer matches what the document says about it. */
function conforms(res: ApiResponse, method: string, template: string) {
  const v = validatorFor(method, template, res.status);
  const ok = v(res.body);
  expect(ok, `${method} ${template} ${res.status}: ${ajv.errorsText(v.errors)}\n${res.text.slice(0, 400)}`).toBe(true);
  checked.add(`${method} ${template} ${res.status}`);
  answers++;
}

describe("the OpenAPI document matches the answers", () => {
  it("is refused without a session (API_DOCS_PUBLIC is off here), in the documented error shape", async () => {
    const res = await fetch(`${inject("baseUrl")}/api/v1/openapi.json`);
    const body = await res.json();
    expect(res.status).toBe(401);
    expect(body).toMatchObject({ code: "not_authenticated" });
    const v = validatorFor("GET", "/api/v1/openapi.json", 401);
    expect(v(body), ajv.errorsText(v.errors)).toBe(true);
  });

  it("sign-in, the catalogue, the provider list, health and notifications", async () => {
    conforms(await admin.get("/api/v1/auth/me"), "GET", "/api/v1/auth/me");
    conforms(await admin.get("/api/v1/llm/providers/info"), "GET", "/api/v1/llm/providers/info");
    const list = await admin.get("/api/v1/llm/providers/keys");
    conforms(list, "GET", "/api/v1/llm/providers/keys");
    conforms(await admin.get("/api/v1/llm/providers/health/overview?window=7d"), "GET", "/api/v1/llm/providers/health/overview");
    const openai = list.body.providers.find((p: { provider_type: string }) => p.provider_type === "openai");
    conforms(await admin.get(`/api/v1/llm/providers/keys/${openai.id}/health`), "GET", "/api/v1/llm/providers/keys/{id}/health");
    conforms(await admin.get(`/api/v1/llm/providers/keys/${openai.id}/health?since=yesterday`), "GET", "/api/v1/llm/providers/keys/{id}/health");
    conforms(await admin.get("/api/v1/notifications?limit=5"), "GET", "/api/v1/notifications");
    conforms(await admin.post("/api/v1/notifications/read-all"), "POST", "/api/v1/notifications/read-all");
    conforms(await admin.post("/api/v1/notifications/999999999/read"), "POST", "/api/v1/notifications/{id}/read");
    conforms(await admin.get("/api/health"), "GET", "/api/health");
    conforms(await admin.get("/api/health/ready"), "GET", "/api/health/ready");
  });

  it("saving, testing, changing and removing a provider key", async () => {
    const name = `openapi-${randomBytes(3).toString("hex")}`;
    const key = providerKey("custom");
    const saved = await admin.post("/api/v1/llm/providers/keys", { provider_type: "custom", name, api_key: key, config: { base_url: inject("fakeBaseUrls").custom } });
    conforms(saved, "POST", "/api/v1/llm/providers/keys");
    conforms(await admin.post("/api/v1/llm/providers/keys", { provider_type: "llama", api_key: key }), "POST", "/api/v1/llm/providers/keys");
    conforms(await admin.post("/api/v1/llm/providers/keys/test", { provider_type: "custom", id: saved.body.provider_id }), "POST", "/api/v1/llm/providers/keys/test");
    // OpenRouter's answer carries the key's credit
    const openrouter = await admin.post("/api/v1/llm/providers/keys/test", { provider_type: "openrouter", api_key: providerKey("openrouter") });
    expect(openrouter.body.credits).toEqual({ usage: 0, limit: null, limit_remaining: null, limit_reset: null });
    conforms(openrouter, "POST", "/api/v1/llm/providers/keys/test");
    conforms(await admin.patch(`/api/v1/llm/providers/keys/${saved.body.provider_id}`, { priority: 5 }), "PATCH", "/api/v1/llm/providers/keys/{id}");
    conforms(await admin.patch(`/api/v1/llm/providers/keys/${saved.body.provider_id}`, {}), "PATCH", "/api/v1/llm/providers/keys/{id}");
    conforms(await admin.delete(`/api/v1/llm/providers/keys/${saved.body.provider_id}`), "DELETE", "/api/v1/llm/providers/keys/{id}");
    conforms(await admin.delete(`/api/v1/llm/providers/keys/${saved.body.provider_id}`), "DELETE", "/api/v1/llm/providers/keys/{id}");
  });

  it("a webhook's whole life", async () => {
    const made = await admin.post("/api/v1/webhooks", { name: `openapi ${randomBytes(3).toString("hex")}`, url: `${receiver.url}/hooks/openapi`, kind: "generic" });
    conforms(made, "POST", "/api/v1/webhooks");
    recordSecret(made.body.secret);
    const id = made.body.webhook.id;
    conforms(await admin.post(`/api/v1/webhooks/${id}/test`), "POST", "/api/v1/webhooks/{id}/test");
    conforms(await admin.get("/api/v1/webhooks"), "GET", "/api/v1/webhooks");
    conforms(await admin.get(`/api/v1/webhooks/${id}/deliveries`), "GET", "/api/v1/webhooks/{id}/deliveries");
    conforms(await admin.patch(`/api/v1/webhooks/${id}`, { enabled: false }), "PATCH", "/api/v1/webhooks/{id}");
    conforms(await admin.post(`/api/v1/webhooks/${id}/test`), "POST", "/api/v1/webhooks/{id}/test");
    const rotated = await admin.post(`/api/v1/webhooks/${id}/rotate-secret`);
    recordSecret(rotated.body.secret);
    conforms(rotated, "POST", "/api/v1/webhooks/{id}/rotate-secret");
    conforms(await admin.delete(`/api/v1/webhooks/${id}`), "DELETE", "/api/v1/webhooks/{id}");
    conforms(await admin.patch(`/api/v1/webhooks/${id}`, { enabled: true }), "PATCH", "/api/v1/webhooks/{id}");
  });

  it("hub keys, the gateway's own answers, and usage", async () => {
    await ensureProviderKey(admin, "openai");
    const made = await admin.post("/api/v1/llm/hub-keys", { name: `openapi-${randomBytes(3).toString("hex")}`, monthly_budget_usd: 5 });
    recordSecret(made.body.key);
    conforms(made, "POST", "/api/v1/llm/hub-keys");
    conforms(await admin.post("/api/v1/llm/hub-keys", { name: "x", key: "mine" }), "POST", "/api/v1/llm/hub-keys");
    const id = made.body.hub_key.id;
    conforms(await admin.get("/api/v1/llm/hub-keys"), "GET", "/api/v1/llm/hub-keys");
    conforms(await admin.get(`/api/v1/llm/hub-keys/${id}`), "GET", "/api/v1/llm/hub-keys/{id}");
    conforms(await admin.patch(`/api/v1/llm/hub-keys/${id}`, { owner: "docs" }), "PATCH", "/api/v1/llm/hub-keys/{id}");

    const { key } = await issueHubKey(admin, { name: `openapi-gw-${randomBytes(3).toString("hex")}` });
    const auth = { authorization: `Bearer ${key}` };
    const gw = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${compatBase()}${path}`, { method, headers: { ...auth, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: await res.json(), text: "" } as ApiResponse;
    };
    conforms(await gw("GET", "/models"), "GET", "/api/v1/llm/gateway/v1/models");
    conforms(await gw("POST", "/chat/completions", { model: "openai/gpt-4.1-mini", messages: [{ role: "user", content: "hi" }] }), "POST", "/api/v1/llm/gateway/v1/chat/completions");
    conforms(await gw("POST", "/chat/completions", { model: "nowhere/x", messages: [] }), "POST", "/api/v1/llm/gateway/v1/chat/completions");
    conforms(await gw("GET", "/usage"), "GET", "/api/v1/llm/gateway/v1/usage");
    const noKey = await fetch(`${compatBase()}/usage`);
    conforms({ status: noKey.status, body: await noKey.json(), text: "" } as ApiResponse, "GET", "/api/v1/llm/gateway/v1/usage");

    // usage from elsewhere: stored, refused by record, by scope (both ways) and without a key
    const ingestKey = (await issueHubKey(admin, { name: `openapi-ingest-${randomBytes(3).toString("hex")}`, scopes: ["ingest"] })).key;
    const events = async (k: string | null, body: unknown) => {
      const res = await fetch(`${inject("baseUrl")}/api/v1/llm/usage/events`, { method: "POST", headers: { "content-type": "application/json", ...(k ? { authorization: `Bearer ${k}` } : {}) }, body: JSON.stringify(body) });
      return { status: res.status, body: await res.json(), text: "" } as ApiResponse;
    };
    const event = { request_id: `openapi-${randomBytes(4).toString("hex")}`, started_at: new Date().toISOString(), provider_type: "openai", latency_ms: 12, input_tokens: 3, output_tokens: 1 };
    for (const [k, body, status] of [[ingestKey, [event], 200], [ingestKey, [{ ...event, latency_ms: -1 }], 400], [key, [event], 403], [null, [event], 401]] as const) {
      const res = await events(k, body);
      expect(res.status).toBe(status);
      conforms(res, "POST", "/api/v1/llm/usage/events");
    }
    const noScope = await fetch(`${compatBase()}/models`, { headers: { authorization: `Bearer ${ingestKey}` } });
    expect(noScope.status).toBe(403);
    conforms({ status: noScope.status, body: await noScope.json(), text: "" } as ApiResponse, "GET", "/api/v1/llm/gateway/v1/models");

    const rotated = await admin.post(`/api/v1/llm/hub-keys/${id}/rotate`);
    recordSecret(rotated.body.key);
    conforms(rotated, "POST", "/api/v1/llm/hub-keys/{id}/rotate");
    conforms(await admin.delete(`/api/v1/llm/hub-keys/${id}`), "DELETE", "/api/v1/llm/hub-keys/{id}");
    conforms(await admin.get(`/api/v1/llm/hub-keys/${id}`), "GET", "/api/v1/llm/hub-keys/{id}");

    for (const g of ["provider", "model", "hub_key", "provider_key", "source"]) conforms(await admin.get(`/api/v1/llm/usage/summary?group_by=${g}`), "GET", "/api/v1/llm/usage/summary");
    conforms(await admin.get("/api/v1/llm/usage/summary?grup_by=model"), "GET", "/api/v1/llm/usage/summary");
    conforms(await admin.get("/api/v1/llm/usage/timeseries?interval=hour&group_by=provider&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z"), "GET", "/api/v1/llm/usage/timeseries");
    conforms(await admin.get("/api/v1/llm/usage/timeseries"), "GET", "/api/v1/llm/usage/timeseries");
    conforms(await admin.get("/api/v1/llm/usage/prices"), "GET", "/api/v1/llm/usage/prices");
    conforms(await admin.get("/api/v1/llm/usage/dashboard?group_by=model"), "GET", "/api/v1/llm/usage/dashboard");
    conforms(await admin.get("/api/v1/llm/usage/dashboard?provider_key=nope"), "GET", "/api/v1/llm/usage/dashboard");
    const price = "/api/v1/llm/usage/prices/groq/openapi/test-model";
    conforms(await admin.request("PUT", price, { input_per_mtok_usd: 0.1, output_per_mtok_usd: 0.2 }), "PUT", "/api/v1/llm/usage/prices/{route}/{model}");
    conforms(await admin.request("PUT", price, { input_per_mtok_usd: 0.1, output_per_mtok_usd: 0.3 }), "PUT", "/api/v1/llm/usage/prices/{route}/{model}");
    conforms(await admin.delete(price), "DELETE", "/api/v1/llm/usage/prices/{route}/{model}");
    conforms(await admin.delete(price), "DELETE", "/api/v1/llm/usage/prices/{route}/{model}");
  });

  it("users, their sessions, and your own account", async () => {
    const email = `openapi-${randomBytes(3).toString("hex")}@example.com`;
    const made = await admin.post("/api/v1/users", { email, role: "viewer" });
    recordSecret(made.body.password);
    conforms(made, "POST", "/api/v1/users");
    conforms(await admin.post("/api/v1/users", { email }), "POST", "/api/v1/users");
    conforms(await admin.post("/api/v1/users", { email: "nope" }), "POST", "/api/v1/users");
    const id = made.body.user.id;
    conforms(await admin.get("/api/v1/users"), "GET", "/api/v1/users");
    conforms(await admin.get(`/api/v1/users/${id}`), "GET", "/api/v1/users/{id}");

    const them = await signedIn({ email, password: made.body.password });
    conforms(await them.get("/api/v1/auth/me"), "GET", "/api/v1/auth/me");
    conforms(await them.get("/api/v1/users/me"), "GET", "/api/v1/users/me");
    conforms(await them.get("/api/v1/users/me/sessions"), "GET", "/api/v1/users/me/sessions");
    conforms(await them.post("/api/v1/users/me/password", { current_password: "wrong", new_password: "a-long-new-passphrase" }), "POST", "/api/v1/users/me/password");
    const password = recordSecret(`pw-${randomBytes(12).toString("hex")}`);
    conforms(await them.post("/api/v1/users/me/password", { current_password: made.body.password, new_password: password }), "POST", "/api/v1/users/me/password");
    conforms(await them.get("/api/v1/users/me/sessions"), "GET", "/api/v1/users/me/sessions");
    conforms(await them.delete("/api/v1/users/me/sessions"), "DELETE", "/api/v1/users/me/sessions");
    conforms(await them.delete("/api/v1/users/me/sessions/nope"), "DELETE", "/api/v1/users/me/sessions/{session}");
    conforms(await them.get("/api/v1/users"), "GET", "/api/v1/users");

    const sessions = await admin.get(`/api/v1/users/${id}/sessions`);
    conforms(sessions, "GET", "/api/v1/users/{id}/sessions");
    conforms(await admin.delete(`/api/v1/users/${id}/sessions/${sessions.body.sessions[0].id}`), "DELETE", "/api/v1/users/{id}/sessions/{session}");
    conforms(await them.get("/api/v1/users/me/sessions"), "GET", "/api/v1/users/me/sessions");
    conforms(await admin.delete(`/api/v1/users/${id}/sessions`), "DELETE", "/api/v1/users/{id}/sessions");
    conforms(await admin.patch(`/api/v1/users/${id}`, { role: "admin" }), "PATCH", "/api/v1/users/{id}");
    conforms(await admin.patch(`/api/v1/users/${id}`, { role: "root" }), "PATCH", "/api/v1/users/{id}");
    const reset = await admin.post(`/api/v1/users/${id}/password`, {});
    recordSecret(reset.body.password);
    conforms(reset, "POST", "/api/v1/users/{id}/password");
    const fresh = await signedIn({ email, password: reset.body.password });
    conforms(await fresh.get("/api/v1/users/me/sessions"), "GET", "/api/v1/users/me/sessions");
    conforms(await admin.delete(`/api/v1/users/${id}`), "DELETE", "/api/v1/users/{id}");
    conforms(await admin.get(`/api/v1/users/${id}`), "GET", "/api/v1/users/{id}");
    conforms(await admin.get(`/api/v1/users/${id}/sessions`), "GET", "/api/v1/users/{id}/sessions");
  });

  it("the audit log", async () => {
    const page = await admin.get("/api/v1/audit?limit=3");
    expect(page.body.events.length).toBe(3);
    conforms(page, "GET", "/api/v1/audit");
    conforms(await admin.get(`/api/v1/audit?before=${page.body.next_before}&outcome=denied&action=provider_key.&limit=2`), "GET", "/api/v1/audit");
    conforms(await admin.get("/api/v1/audit?from=2099-01-01"), "GET", "/api/v1/audit");
    conforms(await admin.get("/api/v1/audit?limit=0"), "GET", "/api/v1/audit");
    conforms(await admin.get("/api/v1/audit/export.csv?outcome=sometimes"), "GET", "/api/v1/audit/export.csv");
  });

  it("a viewer and a stranger get the documented 403 and 401", async () => {
    const viewer = await signedIn(users().viewer);
    conforms(await viewer.get("/api/v1/llm/hub-keys"), "GET", "/api/v1/llm/hub-keys");
    conforms(await viewer.get("/api/v1/audit"), "GET", "/api/v1/audit");
    const stranger = await fetch(`${inject("baseUrl")}/api/v1/audit`);
    conforms({ status: stranger.status, body: await stranger.json(), text: "" } as ApiResponse, "GET", "/api/v1/audit");
    const res = await fetch(`${inject("baseUrl")}/api/v1/llm/providers/keys`);
    conforms({ status: res.status, body: await res.json(), text: "" } as ApiResponse, "GET", "/api/v1/llm/providers/keys");
    // the viewer may read the document (any signed-in user)
    expect((await viewer.get("/api/v1/openapi.json")).status).toBe(200);
    expect(answers).toBeGreaterThan(50);
    expect(checked.size, [...checked].join("\n")).toBeGreaterThan(40);
  });
});
