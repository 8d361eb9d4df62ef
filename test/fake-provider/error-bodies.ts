/**
 * Each provider's real failure responses (status, body shape, headers), from providers.md §3.
 * Some echo a masked key the way the real APIs do, so tests can prove we never copy provider text.
 */
import type { ProviderType } from "../../lib/providers/catalogue";

export type FailureKind =
  | "invalid"
  | "missing_auth"
  | "forbidden"
  | "nocredit"
  | "quota"
  | "ratelimit"
  | "error500"
  | "overloaded"
  | "not_found";

/** The failures a key chooses by containing the kind's name (see server.ts). */
export const FAILURES: readonly FailureKind[] = ["invalid", "forbidden", "nocredit", "quota", "ratelimit", "error500", "overloaded"];

/** What a Cloudflare-fronted provider sends when its origin is down. */
export const CLOUDFLARE_502 =
  '<!DOCTYPE html>\n<html lang="en-US"><head><title>api.example.com | 502: Bad gateway</title></head>' +
  '<body><div id="cf-error-details"><h1>Bad gateway</h1><span>Error code 502</span>' +
  "<p>Visit cloudflare.com for more information.</p></div></body></html>\n";

export interface FakeResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const RATE_HEADERS = { "retry-after": "7" };
const reqId = "req_011CFakeRequestId";

const openaiErr = (status: number, message: string, type: string, code: string | null, headers?: Record<string, string>): FakeResponse => ({
  status,
  body: { error: { message, type, param: null, code } },
  headers,
});
const anthropicErr = (status: number, type: string, message: string, headers?: Record<string, string>): FakeResponse => ({
  status,
  body: { type: "error", error: { type, message }, request_id: reqId },
  headers,
});
const googleErr = (code: number, status: string, message: string, details: unknown[] = [], headers?: Record<string, string>): FakeResponse => ({
  status: code,
  body: { error: { code, message, status, details } },
  headers,
});
const errorInfo = (reason: string) => ({
  "@type": "type.googleapis.com/google.rpc.ErrorInfo",
  reason,
  domain: "googleapis.com",
  metadata: { service: "generativelanguage.googleapis.com" },
});
const quotaFailure = (quotaId: string) => ({
  "@type": "type.googleapis.com/google.rpc.QuotaFailure",
  violations: [{ quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests", quotaId }],
});

/** The masking OpenAI uses in "Incorrect API key provided: sk-proj-****abcd". */
const maskOpenAi = (key: string): string => `${key.slice(0, 8)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;

function google(kind: FailureKind): FakeResponse {
  switch (kind) {
    case "invalid":
      return googleErr(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [errorInfo("API_KEY_INVALID")]);
    case "missing_auth":
      return googleErr(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
    case "forbidden":
      return googleErr(403, "PERMISSION_DENIED", "Generative Language API has not been used in project 123456 before or it is disabled.", [errorInfo("SERVICE_DISABLED")]);
    case "nocredit":
    case "quota":
      return googleErr(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.", [
        quotaFailure("GenerateRequestsPerDayPerProjectPerModel-FreeTier"),
      ]);
    case "ratelimit":
      return googleErr(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.", [
        quotaFailure("GenerateRequestsPerMinutePerProjectPerModel-FreeTier"),
        { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "7s" },
      ], RATE_HEADERS);
    case "error500":
      return googleErr(500, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting");
    case "overloaded":
      return googleErr(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
    case "not_found":
      return googleErr(404, "NOT_FOUND", "Requested entity was not found.");
  }
}

function anthropic(kind: FailureKind): FakeResponse {
  switch (kind) {
    case "invalid":
      return anthropicErr(401, "authentication_error", "invalid x-api-key");
    case "missing_auth":
      return anthropicErr(401, "authentication_error", "x-api-key header is required");
    case "forbidden":
      return anthropicErr(403, "permission_error", "Your API key does not have permission to use the specified resource.");
    case "nocredit":
      return anthropicErr(400, "invalid_request_error", "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.");
    case "quota":
      return openaiErr(429, "You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota");
    case "ratelimit":
      return anthropicErr(429, "rate_limit_error", "Number of requests has exceeded your rate limit.", { ...RATE_HEADERS, "anthropic-ratelimit-requests-remaining": "0" });
    case "error500":
      return anthropicErr(500, "api_error", "Internal server error");
    case "overloaded":
      return anthropicErr(529, "overloaded_error", "Overloaded");
    case "not_found":
      return anthropicErr(404, "not_found_error", "Not found");
  }
}

function openrouter(kind: FailureKind): FakeResponse {
  const err = (status: number, message: string, metadata?: unknown, headers?: Record<string, string>): FakeResponse => ({
    status,
    body: { error: { code: status, message, ...(metadata ? { metadata } : {}) } },
    headers,
  });
  switch (kind) {
    case "invalid":
      return err(401, "User not found.");
    case "missing_auth":
      return err(401, "No auth credentials found");
    case "forbidden":
      return err(403, "Key is not allowed to access this resource");
    case "nocredit":
      return err(402, "Insufficient credits. Add more using https://openrouter.ai/credits", {
        limit_source: "openrouter_credits",
        reason: "Account balance is below zero",
        remedy_hint: "Purchase more credits",
      });
    case "ratelimit":
      return err(429, "Rate limit exceeded", { error_type: "rate_limit_exceeded" }, { ...RATE_HEADERS, "x-ratelimit-limit": "20", "x-ratelimit-remaining": "0" });
    case "not_found":
      return err(404, "Not Found");
    default:
      return generic(kind, openaiErr);
  }
}

/** OpenAI-style providers (OpenAI, Groq, Together) and the statuses every provider shares. */
function generic(kind: FailureKind, shape: typeof openaiErr, key = ""): FakeResponse {
  switch (kind) {
    case "invalid":
      return shape(401, `Incorrect API key provided: ${maskOpenAi(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`, "invalid_request_error", "invalid_api_key");
    case "missing_auth":
      return shape(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.", "invalid_request_error", null);
    case "forbidden":
      return shape(403, "Country, region, or territory not supported", "request_forbidden", "unsupported_country_region_territory");
    case "nocredit":
      return shape(402, "Monthly spending limit reached", "billing_error", "payment_required");
    case "quota":
      return shape(429, "You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota");
    case "ratelimit":
      return shape(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded", RATE_HEADERS);
    case "error500":
      return shape(500, "The server had an error while processing your request. Sorry about that!", "server_error", null);
    case "overloaded":
      return shape(503, "The engine is currently overloaded, please try again later", "server_error", null);
    case "not_found":
      return shape(404, "Not found", "invalid_request_error", null);
  }
}

/** Cohere, Mistral and vLLM-style servers put a plain message (or a plain `error` string) at the top. */
const messageShape = (field: "message" | "error") => (status: number, message: string, _t: string, _c: string | null, headers?: Record<string, string>): FakeResponse => ({
  status,
  body: { [field]: message, ...(field === "message" ? { request_id: reqId } : {}) },
  headers,
});

/** The response a fake provider sends for a failure of the given kind. */
export function failureResponse(type: ProviderType, kind: FailureKind, key: string): FakeResponse {
  // `quota` is OpenAI's insufficient_quota everywhere except Google, which has its own per-day shape.
  if (kind === "quota" && type !== "google") return generic(kind, openaiErr, key);
  switch (type) {
    case "google":
      return google(kind);
    case "anthropic":
      return anthropic(kind);
    case "openrouter":
      return openrouter(kind);
    case "cohere":
      return kind === "invalid" ? messageShape("message")(401, "invalid api token", "", null) : generic(kind, messageShape("message"), key);
    case "mistral":
      return kind === "invalid" ? messageShape("message")(401, "Unauthorized", "", null) : generic(kind, messageShape("message"), key);
    case "custom":
      return kind === "invalid" || kind === "missing_auth" ? messageShape("error")(401, "Unauthorized", "", null) : generic(kind, messageShape("error"), key);
    case "together":
      return kind === "invalid"
        ? openaiErr(401, "Invalid API key provided. You can find your API key at https://api.together.xyz/settings/api-keys.", "invalid_request_error", "invalid_api_key")
        : generic(kind, openaiErr, key);
    case "groq":
      return kind === "invalid" ? openaiErr(401, "Invalid API Key", "invalid_request_error", "invalid_api_key") : generic(kind, openaiErr, key);
    case "openai":
      return generic(kind, openaiErr, key);
  }
}
