import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeProvider, type FakeProvider } from "../../test/fake-provider/server";
import { FAKE_MODEL_COUNTS } from "../../test/fake-provider/success-bodies";
import type { LookupFn } from "../net/url-policy";
import { PROVIDER_TYPES, type ProviderType } from "./catalogue";
import { testProviderKey, type TestKeyInput, type TestKeyOptions } from "./probe";
import type { KeyTestErrorCode, KeyTestResult } from "./types";

const NOW = new Date("2026-11-25T18:40:00.000Z");
let fake: FakeProvider;
let opts: TestKeyOptions;

beforeAll(async () => {
  fake = await startFakeProvider();
  opts = { baseUrlFor: (t) => fake.baseUrls[t], urlPolicy: "any", now: () => NOW };
});
afterAll(async () => {
  await fake.close();
});

/** A realistic-looking key with a distinctive secret tail, for the "never leaks" checks. */
function keyFor(type: ProviderType, behaviour = "ok"): string {
  const secret = `${behaviour}-Zq9XsEcReT7${type}`;
  const prefix: Record<ProviderType, string> = {
    openrouter: "sk-or-v1-",
    openai: "sk-proj-",
    anthropic: "sk-ant-api03-",
    google: "AIza",
    cohere: "",
    groq: "gsk_",
    together: "tgp_v1_",
    mistral: "",
    custom: "local-",
  };
  return `${prefix[type]}${secret}`;
}

/** Runs a test and asserts that nothing in the result contains the key or its secret part. */
async function run(input: TestKeyInput, overrides: Partial<TestKeyOptions> = {}): Promise<KeyTestResult> {
  const before = fake.requests.length;
  const result = await testProviderKey(input, { ...opts, ...overrides });
  const serialised = JSON.stringify(result);
  if (input.apiKey) {
    expect(serialised).not.toContain(input.apiKey);
    expect(serialised).not.toContain("Zq9XsEcReT7");
    expect(serialised).not.toContain(input.apiKey.slice(-4));
  }
  expect(result.tested_at).toBe("2026-11-25T18:40:00.000Z");
  for (const r of fake.requests.slice(before)) {
    expect(r.keyInUrl).toBe(false);
    expect(JSON.stringify(r)).not.toContain("Zq9XsEcReT7");
  }
  return result;
}

const COUNT_PATHS = ["/openrouter/api/v1/models", "/cohere/v1/models"];
/** The last validation request (the model-count requests of OpenRouter and Cohere come after it). */
const lastRequest = () => fake.requests.filter((r) => !COUNT_PATHS.includes(r.path)).at(-1);

describe("testProviderKey against the fake provider - success", () => {
  it.each(PROVIDER_TYPES)("%s: valid key, models counted, right request", async (type) => {
    const apiKey = keyFor(type);
    const r = await run({ providerType: type, apiKey, baseUrl: type === "custom" ? fake.baseUrls.custom : null });
    expect(r).toMatchObject({ success: true, error: null, error_code: null, status_code: 200, models_found: FAKE_MODEL_COUNTS[type] });
    expect(Number.isInteger(r.latency_ms)).toBe(true);
    const req = lastRequest();
    expect(req).toMatchObject({ provider: type, expectedAuthPresent: true, keyLength: apiKey.length, keyInUrl: false });
    expect(req?.headers["user-agent"]).toBe("llm-hub/0.1");
    expect(req?.headers.accept).toBe("application/json");
  });

  it("sends each provider's own credential header and validation path", async () => {
    const seen: Partial<Record<ProviderType, { method: string; path: string; query: string; auth: string[] }>> = {};
    for (const type of PROVIDER_TYPES) {
      await run({ providerType: type, apiKey: keyFor(type), baseUrl: fake.baseUrls.custom });
      const req = lastRequest();
      if (!req) throw new Error("no request recorded");
      const auth = ["authorization", "x-api-key", "x-goog-api-key"].filter((h) => req.headers[h] !== undefined);
      seen[type] = { method: req.method, path: req.path, query: req.query, auth };
      for (const h of auth) expect(req.headers[h]).toMatch(/^<redacted:\d+>$/);
    }
    expect(seen.openrouter).toEqual({ method: "GET", path: "/openrouter/api/v1/key", query: "", auth: ["authorization"] });
    expect(seen.anthropic).toEqual({ method: "GET", path: "/anthropic/v1/models", query: "?limit=1000", auth: ["x-api-key"] });
    expect(seen.google).toEqual({ method: "GET", path: "/google/v1beta/models", query: "?pageSize=1000", auth: ["x-goog-api-key"] });
    expect(seen.cohere).toEqual({ method: "POST", path: "/cohere/v1/check-api-key", query: "", auth: ["authorization"] });
    expect(seen.groq?.path).toBe("/groq/openai/v1/models");
    expect(fake.requests.filter((r) => r.provider === "anthropic").every((r) => r.headers["anthropic-version"] === "2023-06-01")).toBe(true);
  });

  it("OpenRouter falls back once to /auth/key when /key is 404", async () => {
    const before = fake.requests.length;
    const r = await run({ providerType: "openrouter", apiKey: keyFor("openrouter", "legacy") });
    expect(r).toMatchObject({ success: true, status_code: 200 });
    expect(fake.requests.slice(before).map((q) => q.path)).toEqual([
      "/openrouter/api/v1/key",
      "/openrouter/api/v1/auth/key",
      "/openrouter/api/v1/models",
    ]);
  });

  it("counts OpenRouter's models on its public list without sending the key, Cohere's with it", async () => {
    const before = fake.requests.length;
    await run({ providerType: "openrouter", apiKey: keyFor("openrouter") });
    await run({ providerType: "cohere", apiKey: keyFor("cohere") });
    const counts = fake.requests.slice(before).filter((r) => COUNT_PATHS.includes(r.path));
    expect(counts.map((r) => [r.path, r.headers.authorization === undefined])).toEqual([
      ["/openrouter/api/v1/models", true],
      ["/cohere/v1/models", false],
    ]);
  });

  it("leaves the count unknown, and the key valid, when the count request fails", async () => {
    // a Cohere that validates keys but whose model list is down
    const server = http.createServer((req, res) => {
      req.resume();
      const ok = req.url === "/v1/check-api-key";
      res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
      res.end(ok ? '{"valid":true}' : '{"message":"unavailable"}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    try {
      const r = await run({ providerType: "cohere", apiKey: keyFor("cohere") }, { baseUrlFor: () => base });
      expect(r).toMatchObject({ success: true, models_found: null, error: null, status_code: 200 });
    } finally {
      server.close();
    }
  });
});

describe("testProviderKey against the fake provider - failures", () => {
  const cases: [behaviour: string, code: KeyTestErrorCode][] = [
    ["invalid", "invalid_key"],
    ["forbidden", "forbidden"],
    ["nocredit", "no_credits"],
    ["quota", "no_credits"],
    ["ratelimit", "rate_limited"],
    ["error500", "provider_error"],
    ["overloaded", "provider_error"],
  ];
  for (const type of PROVIDER_TYPES) {
    it.each(cases)(`${type}: %s -> %s`, async (behaviour, code) => {
      const r = await run({ providerType: type, apiKey: keyFor(type, behaviour), baseUrl: fake.baseUrls.custom });
      expect(r).toMatchObject({ success: false, error_code: code, models_found: null });
      expect(r.status_code).toBeGreaterThanOrEqual(400);
      expect(r.latency_ms).not.toBeNull();
      if (behaviour === "ratelimit") {
        expect(r.retry_after_s).toBe(7);
        expect(r.error).toBe("Rate limited by the provider - the key is probably fine; retry in 7 s");
      }
      if (behaviour === "overloaded") expect(r.status_code).toBe(type === "anthropic" ? 529 : 503);
    });
  }

  it("Cohere {valid:false} is invalid_key", async () => {
    expect(await run({ providerType: "cohere", apiKey: keyFor("cohere", "notvalid") })).toMatchObject({
      success: false,
      error_code: "invalid_key",
      status_code: 200,
    });
  });

  it("times out on a hanging endpoint", async () => {
    const started = Date.now();
    const r = await run({ providerType: "openai", apiKey: keyFor("openai", "hang") }, { timeoutMs: 300 });
    expect(r).toMatchObject({ success: false, error_code: "timeout", error: "Request timed out after 0.3 s", latency_ms: null, status_code: null });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("HTML, garbage and reset answers are never called valid", async () => {
    expect(await run({ providerType: "mistral", apiKey: keyFor("mistral", "html") })).toMatchObject({ error_code: "provider_error", status_code: 502 });
    expect(await run({ providerType: "custom", apiKey: keyFor("custom", "html200"), baseUrl: fake.baseUrls.custom })).toMatchObject({
      success: false,
      error_code: "provider_error",
      status_code: 200,
    });
    expect(await run({ providerType: "groq", apiKey: keyFor("groq", "garbage") })).toMatchObject({ error_code: "provider_error" });
    const reset = await run({ providerType: "together", apiKey: keyFor("together", "reset") });
    expect(reset).toMatchObject({ error_code: "unreachable", status_code: null, latency_ms: null });
  });

  it("connection refused is unreachable", async () => {
    const port = await closedPort();
    const r = await run({ providerType: "openai", apiKey: keyFor("openai") }, { baseUrlFor: () => `http://127.0.0.1:${port}/v1` });
    expect(r).toMatchObject({ error_code: "unreachable", error: "Could not reach the provider: connection refused (ECONNREFUSED)" });
  });

  it("a missing key is not_configured and nothing is sent", async () => {
    const before = fake.requests.length;
    expect(await run({ providerType: "openai", apiKey: null })).toMatchObject({ error_code: "not_configured", error: "No API key configured for provider: openai" });
    expect(await run({ providerType: "anthropic", apiKey: "" })).toMatchObject({ error_code: "not_configured" });
    expect((await run({ providerType: "openai", apiKey: "sk-abc\r\nX-Evil: 1" })).error_code).toBe("invalid_key");
    expect(fake.requests.length).toBe(before);
  });
});

describe("testProviderKey - custom endpoints", () => {
  it.each(["", "/", "/models"])("base URL ending in /v1%s gives /v1/models", async (suffix) => {
    const r = await run({ providerType: "custom", apiKey: keyFor("custom"), baseUrl: `${fake.baseUrls.custom}${suffix}` });
    expect(r).toMatchObject({ success: true, models_found: 3 });
    expect(lastRequest()?.path).toBe("/custom/v1/models");
  });

  it("sends no Authorization header when no key is given", async () => {
    expect(await run({ providerType: "custom", apiKey: null, baseUrl: fake.baseUrls.custom })).toMatchObject({ success: true });
    expect(lastRequest()?.headers.authorization).toBeUndefined();
  });

  it("refuses loopback under the private policy without sending anything", async () => {
    const before = fake.requests.length;
    const r = await run({ providerType: "custom", apiKey: keyFor("custom"), baseUrl: fake.baseUrls.custom }, { urlPolicy: "private" });
    expect(r).toEqual({
      success: false,
      latency_ms: null,
      models_found: null,
      error: "Base URL resolves to a loopback address; set PROVIDER_URL_POLICY=any to allow it",
      error_code: "bad_base_url",
      status_code: null,
      retry_after_s: null,
      tested_at: "2026-11-25T18:40:00.000Z",
    });
    expect((await run({ providerType: "custom", apiKey: null, baseUrl: "file:///etc/passwd" })).error_code).toBe("bad_base_url");
    expect((await run({ providerType: "custom", apiKey: null, baseUrl: null }, { baseUrlFor: () => null })).error).toBe(
      "No base URL configured for this custom endpoint",
    );
    expect(fake.requests.length).toBe(before);
  });

  it("connects to the checked address while keeping the Host name", async () => {
    const lookup: LookupFn = async () => [{ address: "127.0.0.1", family: 4 }];
    const r = await run({ providerType: "custom", apiKey: null, baseUrl: `http://llm.internal.test:${fake.port}/custom/v1` }, { lookup });
    expect(r.success).toBe(true);
    expect(lastRequest()?.headers.host).toBe(`llm.internal.test:${fake.port}`);
  });

  it("refuses a name that resolves to a metadata address", async () => {
    const lookup: LookupFn = async () => [{ address: "169.254.169.254", family: 4 }];
    const r = await run({ providerType: "custom", apiKey: null, baseUrl: "http://metadata.test/v1" }, { lookup });
    expect(r.error).toBe("Base URL resolves to a link-local or metadata address (169.254.169.254), which is never allowed");
  });
});

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}
