// POST /keys/test (contract section 3): every failure class is HTTP 200 with an error_code; stored
// and environment keys; the row records the result of a stored key only; not_configured.
import { describe, expect, inject, it } from "vitest";
import { clearStoredKey, expectError, rowOf, saveKey, testKey } from "../support/api";
import { signedIn } from "../support/client";
import { admin } from "../support/context";
import { type Behaviour, providerKey } from "../support/keys";

type Case = [label: string, type: "openai" | "google" | "openrouter" | "anthropic", behaviour: Behaviour, code: string, status: number | null];

// admin "test-failures1" spends 9 of its 10 tests here
const SUPPLIED: Case[] = [
  ["invalid key (401)", "openai", "invalid", "invalid_key", 401],
  ["Google's 400 API_KEY_INVALID", "google", "invalid", "invalid_key", 400],
  ["out of credit (402)", "openrouter", "nocredit", "no_credits", 402],
  ["Anthropic's 400 credit balance too low", "anthropic", "nocredit", "no_credits", 400],
  ["forbidden (403)", "openai", "forbidden", "forbidden", 403],
  ["rate limited by the provider (429)", "openai", "ratelimit", "rate_limited", 429],
  ["provider error (500)", "openai", "error500", "provider_error", 500],
  ["a Cloudflare HTML 502 page", "openai", "html", "provider_error", 502],
  ["connection reset", "openai", "reset", "unreachable", null],
];

describe("failure classes of a supplied key", () => {
  for (const [label, type, behaviour, code, status] of SUPPLIED) {
    it(`${label} -> 200 with error_code ${code}`, async () => {
      const c = await signedIn(admin("test-failures1"));
      const res = await testKey(c, { provider_type: type, api_key: providerKey(type, behaviour) });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ success: false, error_code: code, status_code: status, models_found: null });
      expect(typeof res.body.error).toBe("string");
      expect(res.body.error).not.toMatch(/Incorrect API key provided|User not found|invalid x-api-key|cloudflare/i); // our sentence, not the provider's
      if (status !== null) expect(typeof res.body.latency_ms).toBe("number");
    });
  }

  it(`a provider that never answers -> timeout within PROVIDER_TIMEOUT_MS`, async () => {
    const c = await signedIn(admin("test-failures2"));
    const started = Date.now();
    const res = await testKey(c, { provider_type: "openai", api_key: providerKey("openai", "hang") });
    const elapsed = Date.now() - started;
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ success: false, error_code: "timeout", status_code: null });
    expect(res.body.error).toMatch(/timed out/i);
    expect(elapsed).toBeGreaterThanOrEqual(inject("timeoutMs") - 50);
    expect(elapsed).toBeLessThan(inject("timeoutMs") + 2500);
  });
});

// admin "test-failures2" spends the rest (8 with the timeout above)
describe("stored and environment keys", () => {
  it("nothing stored and no env key: 400 not_configured", async () => {
    const c = await signedIn(admin("test-failures2"));
    await clearStoredKey(c, "anthropic");
    for (const apiKey of [null, "", undefined]) {
      const body = apiKey === undefined ? { provider_type: "anthropic" } : { provider_type: "anthropic", api_key: apiKey };
      expectError(await testKey(c, body), 400, "not_configured", "No API key configured for provider: anthropic");
    }
  });

  it("an unknown provider is a 400 naming provider_type; an unknown row id is 404", async () => {
    const c = await signedIn(admin("test-failures2"));
    expectError(await testKey(c, { provider_type: "openia", api_key: null }), 400, undefined, /^provider_type: unknown provider/);
    expectError(await testKey(c, { provider_type: "custom", id: "6f1d2c3b-0000-4000-8000-000000000000" }), 404, "not_found", "Provider not found");
  });

  it('the contract\'s curl example {"provider_type": "openrouter", "api_key": null} tests the stored key and records the result', async () => {
    const c = await signedIn(admin("test-failures2"));
    const saved = await saveKey(c, { provider_type: "openrouter", api_key: providerKey("openrouter"), name: "OpenRouter" });
    expect([200, 201], saved.text).toContain(saved.status);
    const before = (await rowOf(c, "openrouter"))!;
    const res = await testKey(c, { provider_type: "openrouter", api_key: null });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ success: true, error_code: null, models_found: 346 });
    const after = (await rowOf(c, "openrouter"))!;
    expect(Date.parse(after.last_tested!)).toBeGreaterThan(Date.parse(before.last_tested!));
    expect(after).toMatchObject({ test_status: "success", health_status: "healthy", last_test: { error_code: null, models_found: 346 } });
    expect(after.last_tested).toBe(res.body.tested_at);
  });

  it("testing a supplied key writes nothing to the row", async () => {
    const c = await signedIn(admin("test-failures2"));
    const before = (await rowOf(c, "openrouter"))!;
    const res = await testKey(c, { provider_type: "openrouter", api_key: providerKey("openrouter", "invalid") });
    expect(res.body.error_code).toBe("invalid_key");
    const after = (await rowOf(c, "openrouter"))!;
    expect(after).toMatchObject({ last_tested: before.last_tested, test_status: before.test_status, health_status: before.health_status });
  });

  it("a stored key the provider rate-limits: test_status failed, health degraded (the key is probably fine)", async () => {
    const c = await signedIn(admin("test-failures2"));
    const saved = await saveKey(c, { provider_type: "groq", api_key: providerKey("groq", "ratelimit") });
    expect(saved.body.test_result.error_code).toBe("rate_limited");
    const before = (await rowOf(c, "groq"))!;
    expect(before.health_status).toBe("degraded");
    await new Promise((r) => setTimeout(r, 20));
    const res = await testKey(c, { provider_type: "groq" });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ success: false, error_code: "rate_limited", status_code: 429 });
    const after = (await rowOf(c, "groq"))!;
    expect(after).toMatchObject({ test_status: "failed", health_status: "degraded", last_test: { error_code: "rate_limited" } });
    expect(Date.parse(after.last_tested!)).toBeGreaterThan(Date.parse(before.last_tested!));
  });

  it("a stored invalid key: health unhealthy", async () => {
    const c = await signedIn(admin("test-failures2"));
    await saveKey(c, { provider_type: "anthropic", api_key: providerKey("anthropic", "invalid") });
    const res = await testKey(c, { provider_type: "anthropic", api_key: null });
    expect(res.body).toMatchObject({ success: false, error_code: "invalid_key", status_code: 401 });
    expect(await rowOf(c, "anthropic")).toMatchObject({ test_status: "failed", health_status: "unhealthy", last_test: { error_code: "invalid_key" } });
  });

  it("no stored key: falls back to the environment key (Mistral)", async () => {
    const c = await signedIn(admin("test-failures2"));
    await clearStoredKey(c, "mistral");
    expect((await rowOf(c, "mistral"))!.key_source).toBe("environment");
    const res = await testKey(c, { provider_type: "mistral", api_key: null });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ success: true, models_found: 25, error_code: null });
    expect(await rowOf(c, "mistral")).toMatchObject({ key_source: "environment", test_status: "success", health_status: "healthy" });
    expect(inject("mistralEnvKey")).toBeTruthy();
  });
});
