import { describe, expect, it } from "vitest";
import { classifyProviderResponse as classify } from "./classify";
import { parseRetryAfter } from "./retry-after";

const json = (v: unknown): string => JSON.stringify(v);
const NOW = Date.parse("2026-11-25T18:40:00Z");

describe("classifyProviderResponse - success shapes", () => {
  it("counts OpenAI-style data[]", () => {
    const r = classify("openai", 200, {}, json({ object: "list", data: [{ id: "a" }, { id: "b" }] }));
    expect(r).toEqual({ success: true, models_found: 2, error: null, error_code: null, retry_after_s: null });
  });
  it("counts Anthropic data[] with paging fields", () => {
    const r = classify("anthropic", 200, {}, json({ data: [{ id: "c" }], has_more: false, first_id: "c", last_id: "c" }));
    expect(r.models_found).toBe(1);
  });
  it("counts Google models[]", () => {
    expect(classify("google", 200, {}, json({ models: [{}, {}, {}], nextPageToken: "x" })).models_found).toBe(3);
  });
  it("counts Together's bare array", () => {
    expect(classify("together", 200, {}, json([{}, {}, {}, {}])).models_found).toBe(4);
  });
  it("OpenRouter /key is an object, so models_found is null", () => {
    const r = classify("openrouter", 200, {}, json({ data: { label: "sk-or-v1-abc...def", limit: null, usage: 0 } }));
    expect(r).toMatchObject({ success: true, models_found: null, error_code: null });
  });
  it("OpenRouter key with a spent cap is no_credits", () => {
    const r = classify("openrouter", 200, {}, json({ data: { limit: 5, limit_remaining: 0 } }));
    expect(r).toMatchObject({ success: false, error_code: "no_credits" });
  });
  it("OpenRouter management key is valid but cannot call models", () => {
    const r = classify("openrouter", 200, {}, json({ data: { is_management_key: true } }));
    expect(r).toMatchObject({ success: false, error_code: "forbidden" });
  });
  it("Cohere {valid:true} succeeds, {valid:false} is invalid_key", () => {
    expect(classify("cohere", 200, {}, json({ valid: true, organization_id: "o" }))).toMatchObject({ success: true, models_found: null });
    expect(classify("cohere", 200, {}, json({ valid: false }))).toMatchObject({ success: false, error_code: "invalid_key" });
  });
  it("a 2xx that is not JSON proves nothing", () => {
    for (const body of ["<html><body>Sign in</body></html>", "", "\u0000garbage", '{"data": [1, 2']) {
      expect(classify("custom", 200, {}, body)).toMatchObject({ success: false, error_code: "provider_error" });
    }
  });
});

describe("classifyProviderResponse - failures", () => {
  it("401 is invalid_key with the fixed sentence, never the provider's text", () => {
    const body = json({ error: { message: "Incorrect API key provided: sk-proj-****1234.", code: "invalid_api_key" } });
    const r = classify("openai", 401, {}, body);
    expect(r).toMatchObject({ success: false, error_code: "invalid_key", error: "Invalid API key - authentication failed" });
    expect(r.error).not.toContain("1234");
  });
  it("OpenAI restricted key missing a scope (401) is forbidden", () => {
    const body = json({ error: { message: "You have insufficient permissions for this operation. Missing scopes: model.read." } });
    expect(classify("openai", 401, {}, body).error_code).toBe("forbidden");
  });
  it("Google 400 API_KEY_INVALID is invalid_key", () => {
    const body = json({
      error: {
        code: 400,
        message: "API key not valid. Please pass a valid API key.",
        status: "INVALID_ARGUMENT",
        details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID" }],
      },
    });
    expect(classify("google", 400, {}, body)).toMatchObject({ error_code: "invalid_key" });
  });
  it("Google 400 'API key expired' without details is invalid_key and says expired", () => {
    const r = classify("google", 400, {}, json({ error: { code: 400, message: "API key expired. Please renew the API key." } }));
    expect(r.error_code).toBe("invalid_key");
    expect(r.error).toContain("expired");
  });
  it("Google 403 SERVICE_DISABLED is forbidden with a derived qualifier", () => {
    const body = json({
      error: { code: 403, status: "PERMISSION_DENIED", message: "project 123 ...", details: [{ reason: "SERVICE_DISABLED" }] },
    });
    const r = classify("google", 403, {}, body);
    expect(r.error_code).toBe("forbidden");
    expect(r.error).toContain("not enabled");
    expect(r.error).not.toContain("123");
  });
  it("plain 403 is forbidden", () => {
    expect(classify("anthropic", 403, {}, json({ type: "error", error: { type: "permission_error" } }))).toMatchObject({
      error_code: "forbidden",
      error: "API key is valid but lacks permission (403 Forbidden)",
    });
  });
  it("Anthropic 400 credit balance too low is no_credits; other 400s are provider_error", () => {
    const low = json({ type: "error", error: { type: "invalid_request_error", message: "Your credit balance is too low to access the Anthropic API." } });
    expect(classify("anthropic", 400, {}, low).error_code).toBe("no_credits");
    expect(classify("anthropic", 400, {}, json({ error: { message: "bad param" } })).error_code).toBe("provider_error");
  });
  it("402 OpenRouter explains limit_source in our own words", () => {
    const body = (source: string) => json({ error: { code: 402, message: "x", metadata: { limit_source: source } } });
    expect(classify("openrouter", 402, {}, body("openrouter_credits"))).toMatchObject({ error_code: "no_credits" });
    expect(classify("openrouter", 402, {}, body("openrouter_credits")).error).toContain("balance is too low");
    expect(classify("openrouter", 402, {}, body("openrouter_key_limit")).error).toContain("key's credit limit");
    expect(classify("openrouter", 402, { "retry-after": "3" }, body("openrouter_in_flight_budget"))).toMatchObject({
      error_code: "rate_limited",
      retry_after_s: 3,
    });
    expect(classify("mistral", 402, {}, json({ message: "pay" })).error).toBe("Out of credits or spend limit reached (402)");
  });
  it("429 with Retry-After seconds is rate_limited and says when", () => {
    const r = classify("openai", 429, { "retry-after": "7" }, json({ error: { code: "rate_limit_exceeded" } }));
    expect(r).toMatchObject({ error_code: "rate_limited", retry_after_s: 7 });
    expect(r.error).toBe("Rate limited by the provider - the key is probably fine; retry in 7 s");
  });
  it("429 with an HTTP-date Retry-After", () => {
    const date = new Date(NOW + 30_000).toUTCString();
    expect(classify("groq", 429, { "retry-after": date }, "", NOW).retry_after_s).toBe(30);
  });
  it("429 prefers retry-after-ms", () => {
    expect(classify("openai", 429, { "retry-after-ms": "1500", "retry-after": "9" }, "").retry_after_s).toBe(2);
  });
  it("429 without any hint says retry later", () => {
    expect(classify("mistral", 429, {}, "").error).toBe("Rate limited by the provider - the key is probably fine; retry later");
  });
  it("Google 429 takes RetryInfo when no header is sent", () => {
    const body = json({ error: { status: "RESOURCE_EXHAUSTED", details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "12.5s" }] } });
    expect(classify("google", 429, {}, body)).toMatchObject({ error_code: "rate_limited", retry_after_s: 13 });
  });
  it("OpenAI 429 insufficient_quota is no_credits", () => {
    const body = json({ error: { message: "You exceeded your current quota", type: "insufficient_quota", code: "insufficient_quota" } });
    expect(classify("openai", 429, { "retry-after": "1" }, body)).toMatchObject({ error_code: "no_credits", retry_after_s: null });
  });
  it("Google 429 with a per-day quota violation is no_credits, per-minute is rate_limited", () => {
    const body = (quotaId: string) =>
      json({ error: { status: "RESOURCE_EXHAUSTED", details: [{ "@type": "type.googleapis.com/google.rpc.QuotaFailure", violations: [{ quotaId }] }] } });
    expect(classify("google", 429, {}, body("GenerateRequestsPerDayPerProjectPerModel-FreeTier")).error_code).toBe("no_credits");
    expect(classify("google", 429, {}, body("GenerateRequestsPerMinutePerProjectPerModel-FreeTier")).error_code).toBe("rate_limited");
  });
  it.each([500, 502, 503, 504, 529, 408, 409])("%i is provider_error", (status) => {
    const r = classify("anthropic", status, {}, json({ type: "error", error: { type: "overloaded_error" } }));
    expect(r).toMatchObject({ success: false, error_code: "provider_error", error: `Provider error (HTTP ${status}) - try again later` });
  });
  it("HTML, empty, truncated and huge bodies never throw", () => {
    const html = "<!DOCTYPE html><html><title>502: Bad gateway</title></html>";
    expect(classify("openai", 502, {}, html).error_code).toBe("provider_error");
    expect(classify("openai", 401, {}, "").error_code).toBe("invalid_key");
    expect(classify("google", 400, {}, '{"error": {"details": [{"reason": "API_KEY_INV').error_code).toBe("provider_error");
    expect(classify("openai", 200, {}, `{"data":[${"{},".repeat(200_000)}{}]}`).models_found).toBe(200_001);
    expect(classify("openai", 401, {}, "null").error_code).toBe("invalid_key");
    expect(classify("google", 400, {}, json({ error: { details: "nope" } })).error_code).toBe("provider_error");
  });
  it("redirects, 404 and odd statuses are provider_error", () => {
    expect(classify("custom", 301, { location: "http://x" }, "").error).toContain("redirect");
    expect(classify("custom", 404, {}, "").error).toContain("check the base URL");
    expect(classify("custom", 418, {}, "").error).toBe("Unexpected response from the provider (HTTP 418)");
  });
});

describe("parseRetryAfter", () => {
  it("ignores junk and past dates clamp to 0", () => {
    expect(parseRetryAfter({ "retry-after": "soon" })).toBeNull();
    expect(parseRetryAfter({})).toBeNull();
    expect(parseRetryAfter({ "retry-after": new Date(NOW - 60_000).toUTCString() }, NOW)).toBe(0);
    expect(parseRetryAfter({ "retry-after": "999999999" })).toBe(86_400);
  });
});
