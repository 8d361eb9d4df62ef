// The hub's own errors (gateway.md section 3) as the SDKs see them: each with the SDK's own error
// class, the OpenAI error shape's code, and x-llmhub-request-id.
import { createServer } from "node:net";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { KEYS, rowOf } from "../support/api";
import { type Client, signedIn } from "../support/client";
import { admin } from "../support/context";
import { compatBase, ensureProviderKey, HUB_KEYS, issueHubKey, nativeBase, saveCustomEndpoint } from "../support/gateway";

let c: Client;
let hubKey = "";
const sdk = (key: string) => new OpenAI({ apiKey: key, baseURL: compatBase(), maxRetries: 0 });
const chat = (key: string, model: string, extra: Record<string, unknown> = {}) =>
  sdk(key).chat.completions.create({ model, messages: [{ role: "user", content: "hi" }], ...extra } as never).then(
    () => null,
    (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
  );

/** A port nothing listens on. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

function expectHubError(err: unknown, cls: new (...a: never[]) => unknown, status: number, code: string) {
  expect(err, `expected ${code}`).toBeInstanceOf(cls);
  const e = err as InstanceType<typeof OpenAI.APIError>;
  expect(e.status).toBe(status);
  expect(e.code).toBe(code);
  expect((e.error as { type?: string }).type).toBeTruthy();
  expect(e.headers?.get("x-llmhub-request-id")).toMatch(/^[0-9a-f-]{36}$/);
}

beforeAll(async () => {
  c = await signedIn(admin("gateway-errors"));
  await ensureProviderKey(c, "openai");
  hubKey = (await issueHubKey(c, { name: "errors" })).key;
});

describe("hub errors through the OpenAI SDK", () => {
  it("400 invalid_request: a body the hub cannot route", async () => {
    expectHubError(await chat(hubKey, "openai/gpt-4o-mini", { stream: "yes" }), OpenAI.BadRequestError, 400, "invalid_request");
  });

  it("401 invalid_hub_key: unknown, malformed, disabled, expired", async () => {
    expectHubError(await chat(`llmhub_${"A".repeat(40)}`, "openai/gpt-4o-mini"), OpenAI.AuthenticationError, 401, "invalid_hub_key");
    expectHubError(await chat("sk-not-a-hub-key", "openai/gpt-4o-mini"), OpenAI.AuthenticationError, 401, "invalid_hub_key");
    const disabled = await issueHubKey(c, { name: "disabled", enabled: false });
    const e = await chat(disabled.key, "openai/gpt-4o-mini");
    expectHubError(e, OpenAI.AuthenticationError, 401, "invalid_hub_key");
    expect(e!.message).toContain("disabled");
    const expiring = await issueHubKey(c, { name: "expiring" });
    expect(await chat(expiring.key, "openai/gpt-4o-mini")).toBeNull();
    await c.patch(`${HUB_KEYS}/${expiring.id}`, { expires_at: new Date(Date.now() - 1000).toISOString() });
    const expired = await chat(expiring.key, "openai/gpt-4o-mini");
    expectHubError(expired, OpenAI.AuthenticationError, 401, "invalid_hub_key");
    expect(expired!.message).toContain("expired");
  });

  it("403 model_not_allowed: outside the key's patterns", async () => {
    const narrow = await issueHubKey(c, { name: "narrow", allowed: ["openai/gpt-4o-*"] });
    expect(await chat(narrow.key, "openai/gpt-4o-mini")).toBeNull();
    expectHubError(await chat(narrow.key, "openai/o3"), OpenAI.PermissionDeniedError, 403, "model_not_allowed");
    expectHubError(await chat(narrow.key, "groq/llama-3.1-8b-instant"), OpenAI.PermissionDeniedError, 403, "model_not_allowed");
    // a native call that names no model needs the whole route
    const list = await fetch(`${nativeBase("openai")}/models`, { headers: { authorization: `Bearer ${narrow.key}` } });
    expect(list.status).toBe(403);
  });

  it("403 provider_disabled", async () => {
    const id = await ensureProviderKey(c, "together");
    expect((await c.patch(`${KEYS}/${id}`, { enabled: false })).status).toBe(200);
    try {
      expectHubError(await chat(hubKey, "together/meta-llama/Llama-3-8b-chat-hf"), OpenAI.PermissionDeniedError, 403, "provider_disabled");
    } finally {
      await c.patch(`${KEYS}/${id}`, { enabled: true });
    }
    expect(await chat(hubKey, "together/meta-llama/Llama-3-8b-chat-hf")).toBeNull();
  });

  it("404 unknown_model: no route, or a route no provider has", async () => {
    expectHubError(await chat(hubKey, "gpt-4o-mini"), OpenAI.NotFoundError, 404, "unknown_model");
    expectHubError(await chat(hubKey, "nosuchprovider/x"), OpenAI.NotFoundError, 404, "unknown_model");
  });

  it("409 provider_not_configured: no stored key and no environment key", async () => {
    const row = await rowOf(c, "cohere");
    if (row?.key_source === "database") await c.delete(`${KEYS}/${row.id}`);
    expectHubError(await chat(hubKey, "cohere/command-r"), OpenAI.ConflictError, 409, "provider_not_configured");
  });

  it("413 body_too_large: more than GATEWAY_MAX_BODY_BYTES (10 MiB)", async () => {
    const err = await chat(hubKey, "openai/gpt-4o-mini", { messages: [{ role: "user", content: "x".repeat(10 * 1024 * 1024 + 1) }] });
    expectHubError(err, OpenAI.APIError, 413, "body_too_large");
  });

  it("429 rate_limited, with Retry-After", async () => {
    const limited = await issueHubKey(c, { name: "limited", rpm_limit: 2 });
    expect(await chat(limited.key, "openai/gpt-4o-mini")).toBeNull();
    expect(await chat(limited.key, "openai/gpt-4o-mini")).toBeNull();
    const err = await chat(limited.key, "openai/gpt-4o-mini");
    expectHubError(err, OpenAI.RateLimitError, 429, "rate_limited");
    expect(Number(err!.headers?.get("retry-after"))).toBeGreaterThan(0);
  });

  // a key's limit changed, or the key disabled, while it is in use: counted exactly (the unit spent
  // ahead for a stale row is given back: lib/gateway/access.test.ts)
  it("a limit lowered since the instance last read the key holds exactly", async () => {
    const k = await issueHubKey(c, { name: "limit-lowered", rpm_limit: 3 });
    expect(await chat(k.key, "openai/gpt-4o-mini")).toBeNull(); // 1 of 3, and the row is held
    expect((await c.patch(`${HUB_KEYS}/${k.id}`, { rpm_limit: 2 })).status).toBe(200);
    expect(await chat(k.key, "openai/gpt-4o-mini")).toBeNull(); // 2 of 2
    expectHubError(await chat(k.key, "openai/gpt-4o-mini"), OpenAI.RateLimitError, 429, "rate_limited");
  });

  it("a request refused because the key was disabled spends none of its limit", async () => {
    const k = await issueHubKey(c, { name: "disabled-then-enabled", rpm_limit: 2 });
    expect(await chat(k.key, "openai/gpt-4o-mini")).toBeNull(); // 1 of 2, and the row is held
    expect((await c.patch(`${HUB_KEYS}/${k.id}`, { enabled: false })).status).toBe(200);
    for (let i = 0; i < 3; i++) expectHubError(await chat(k.key, "openai/gpt-4o-mini"), OpenAI.AuthenticationError, 401, "invalid_hub_key");
    expect((await c.patch(`${HUB_KEYS}/${k.id}`, { enabled: true })).status).toBe(200);
    expect(await chat(k.key, "openai/gpt-4o-mini")).toBeNull(); // 2 of 2
    expectHubError(await chat(k.key, "openai/gpt-4o-mini"), OpenAI.RateLimitError, 429, "rate_limited");
  });

  it("502 upstream_unreachable: a provider nobody answers for", async () => {
    await saveCustomEndpoint(c, "Dead End", `http://127.0.0.1:${await closedPort()}/v1`);
    expectHubError(await chat(hubKey, "dead-end/m"), OpenAI.InternalServerError, 502, "upstream_unreachable");
  });

  it("an error the provider made passes through as the provider's", async () => {
    const err = await chat(hubKey, "openai/gpt-4o-mini-fail-429");
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err!.code).not.toBe("rate_limited");
  });
});

describe("hub errors through the Anthropic SDK", () => {
  const anthropic = (key: string) => new Anthropic({ apiKey: key, baseURL: nativeBase("anthropic"), maxRetries: 0 });
  const ask = (key: string, model = "claude-3-5-haiku-latest") =>
    anthropic(key).messages.create({ model, max_tokens: 16, messages: [{ role: "user", content: "hi" }] }).then(
      () => null,
      (e: unknown) => e,
    );

  it("401 and 403 arrive as the SDK's own classes", async () => {
    await ensureProviderKey(c, "anthropic");
    expect(await ask(`llmhub_${"B".repeat(40)}`)).toBeInstanceOf(Anthropic.AuthenticationError);
    const narrow = await issueHubKey(c, { name: "openai-only", allowed: ["openai/*"] });
    expect(await ask(narrow.key)).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(await ask(hubKey)).toBeNull();
  });
});
