/**
 * Errors of the inference endpoints: each provider's own failure bodies (error-bodies.ts) with the
 * headers real answers carry (request ids, rate-limit headers on a 429), the body Gemini's
 * OpenAI-compatible API wraps in an array, request validation errors, and the key-echo mode.
 */
import type { ProviderType } from "../../lib/providers/catalogue";
import { failureResponse, type FailureKind, type FakeResponse } from "./error-bodies";

/** Which API a request reached: an OpenAI-compatible one, Anthropic Messages, or Gemini native. */
export type Surface = "compat" | "anthropic" | "gemini";

/** The header each provider names its request id in; a gateway passes it through. */
export function requestIdHeader(surface: Surface, provider: ProviderType): string {
  return surface === "anthropic" || (surface === "compat" && provider === "anthropic") ? "request-id" : "x-request-id";
}

function rateLimitHeaders(surface: Surface, provider: ProviderType): Record<string, string> {
  if (provider === "google") return {}; // Google puts its RetryInfo in the body
  if (provider === "anthropic") {
    const reset = new Date(Date.now() + 7000).toISOString().replace(/\.\d+Z$/, "Z");
    return { "anthropic-ratelimit-requests-limit": "50", "anthropic-ratelimit-requests-remaining": "0", "anthropic-ratelimit-requests-reset": reset };
  }
  if (provider === "openrouter") return { "x-ratelimit-limit": "20", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Date.now() + 7000) };
  return {
    "x-ratelimit-limit-requests": "500",
    "x-ratelimit-remaining-requests": "0",
    "x-ratelimit-reset-requests": "7s",
    "x-ratelimit-limit-tokens": "200000",
    "x-ratelimit-remaining-tokens": "199000",
    "x-ratelimit-reset-tokens": "300ms",
  };
}

/** Gemini's OpenAI-compatible API answers errors as a one-element array of Google's error object. */
const wrap = (surface: Surface, provider: ProviderType, r: FakeResponse): FakeResponse =>
  surface === "compat" && provider === "google" ? { ...r, body: [r.body] } : r;

/** The provider's failure of `kind`, with the status a test asked for when it differs. */
export function inferenceFailure(surface: Surface, provider: ProviderType, kind: FailureKind, key: string, status?: number): FakeResponse {
  const r = failureResponse(provider, kind, key);
  const headers = { ...r.headers, ...(r.status === 429 || status === 429 ? { "retry-after": "7", ...rateLimitHeaders(surface, provider) } : {}) };
  return wrap(surface, provider, { status: status ?? r.status, body: r.body, headers });
}

/** A request the provider refuses as malformed, in its own shape. */
export function badRequest(surface: Surface, provider: ProviderType, message: string, param: string | null = null): FakeResponse {
  if (surface === "anthropic" || (surface === "compat" && provider === "anthropic")) {
    return { status: 400, body: { type: "error", error: { type: "invalid_request_error", message }, request_id: "req_011CFakeRequestId" } };
  }
  if (provider === "google") {
    const err = { error: { code: 400, message, status: "INVALID_ARGUMENT", details: [] } };
    return wrap(surface, provider, { status: 400, body: err });
  }
  return { status: 400, body: { error: { message, type: "invalid_request_error", param, code: null } } };
}

/** Google refuses a request that carries two credentials (e.g. a bearer token and an API key). */
export const twoCredentials = (surface: Surface): FakeResponse =>
  wrap(surface, "google", {
    status: 400,
    body: { error: { code: 400, message: "Multiple authentication credentials received. Please pass only one.", status: "INVALID_ARGUMENT" } },
  });

/** Characters a header value can carry; a key outside them is echoed in the body only. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/**
 * A 401 that echoes the whole key, in the message and in the request-id header, as some providers
 * and proxies do (OpenAI's own message shows a masked one: see error-bodies.ts). What a gateway must
 * redact before anything reaches its client.
 */
export function echoKey(surface: Surface, provider: ProviderType, key: string): FakeResponse {
  const headers = HEADER_SAFE.test(key) ? { [requestIdHeader(surface, provider)]: key } : {};
  let r: FakeResponse;
  if (surface === "anthropic" || provider === "anthropic") {
    r = { status: 401, body: { type: "error", error: { type: "authentication_error", message: `invalid x-api-key: ${key}` }, request_id: "req_011CFakeRequestId" } };
  } else if (provider === "google") {
    r = {
      status: 400,
      body: {
        error: {
          code: 400,
          message: `API key not valid. Please pass a valid API key. (received: ${key})`,
          status: "INVALID_ARGUMENT",
          details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com", metadata: { service: "generativelanguage.googleapis.com", key } }],
        },
      },
    };
  } else if (provider === "openrouter") {
    r = { status: 401, body: { error: { code: 401, message: `Invalid API key: ${key}` } } };
  } else {
    r = {
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: "invalid_request_error", param: null, code: "invalid_api_key" } },
    };
  }
  return wrap(surface, provider, { ...r, headers });
}
