/**
 * Turns a provider's HTTP answer into a key-test verdict (providers.md §2 and §3). Pure: no I/O,
 * never throws, and the `error` it returns is always one of our fixed sentences (see messages.ts).
 */
import type { ProviderType } from "./catalogue";
import { MSG } from "./messages";
import {
  countModels,
  errorIds,
  errorText,
  getObject,
  getString,
  googleHasDailyQuota,
  googleReasons,
  googleRetryDelay,
  isObject,
  parseJsonBody,
  type Json,
} from "./response-body";
import { parseRetryAfter } from "./retry-after";
import type { KeyTestErrorCode } from "./types";

export interface Classification {
  success: boolean;
  models_found: number | null;
  error: string | null;
  error_code: KeyTestErrorCode | null;
  retry_after_s: number | null;
}

/** Header names must be lower-case (as node:http delivers them). */
export type ResponseHeaders = Record<string, string | undefined>;

const fail = (error_code: KeyTestErrorCode, error: string, retry_after_s: number | null = null): Classification => ({
  success: false,
  models_found: null,
  error,
  error_code,
  retry_after_s,
});

/**
 * Classifies one validation response. `nowMs` only matters for a `Retry-After` HTTP date.
 */
export function classifyProviderResponse(
  type: ProviderType,
  status: number,
  headers: ResponseHeaders,
  bodyText: string,
  nowMs: number = Date.now(),
): Classification {
  const body = parseJsonBody(bodyText);
  if (status >= 200 && status < 300) return classifySuccess(type, status, body);

  const retryAfter = parseRetryAfter(headers, nowMs) ?? (type === "google" ? googleRetryDelay(body) : null);
  const text = errorText(body);
  const ids = errorIds(body);
  const reasons = type === "google" ? googleReasons(body) : [];

  if (status >= 300 && status < 400) return fail("provider_error", MSG.redirect(status));
  switch (status) {
    case 400:
      return classify400(type, text, ids, reasons);
    case 401:
      if (/missing scopes|insufficient permissions/i.test(text)) return fail("forbidden", MSG.missingScope);
      if (reasons.includes("ACCESS_TOKEN_TYPE_UNSUPPORTED")) {
        return fail("invalid_key", MSG.invalidKey("Google does not accept this type of key here"));
      }
      return fail("invalid_key", MSG.invalidKey());
    case 402:
      return classify402(type, body, retryAfter);
    case 403:
      return fail("forbidden", MSG.forbidden(forbiddenQualifier(reasons, ids)));
    case 404:
      return fail("provider_error", MSG.notFound(status));
    case 429:
      if (ids.includes("insufficient_quota")) return fail("no_credits", MSG.quotaExhausted);
      if (/used all available credits|monthly spending limit/i.test(text)) return fail("no_credits", MSG.noCredits(429));
      if (type === "google" && googleHasDailyQuota(body)) return fail("no_credits", MSG.dailyQuota);
      return fail("rate_limited", MSG.rateLimited(retryAfter), retryAfter);
  }
  if (status >= 500 || status === 408 || status === 409) {
    return fail("provider_error", MSG.providerError(status), retryAfter);
  }
  return fail("provider_error", MSG.unexpectedStatus(status));
}

function classifySuccess(type: ProviderType, status: number, body: Json | undefined): Classification {
  // A 2xx that is not JSON is a captive portal, a web UI or a proxy page: it proves nothing about the key.
  if (body === undefined) return fail("provider_error", MSG.notJson(status));
  if (type === "openrouter") {
    const data = getObject(body, "data");
    if (data?.is_management_key === true || data?.is_provisioning_key === true) {
      return fail("forbidden", MSG.managementKey);
    }
    // GET /key reports the key's own cap; a spent cap fails every paid request.
    if (typeof data?.limit_remaining === "number" && data.limit_remaining <= 0) {
      return fail("no_credits", MSG.noCredits(status, "this key's credit limit is used up"));
    }
  }
  if (type === "cohere" && isObject(body) && body.valid === false) return fail("invalid_key", MSG.invalidKey());
  return { success: true, models_found: countModels(body), error: null, error_code: null, retry_after_s: null };
}

function classify400(
  type: ProviderType,
  text: string,
  ids: string[],
  reasons: string[],
): Classification {
  // Gemini (and xAI-style servers behind a custom URL) report a bad key as 400, not 401.
  const badKeyText = /API key not valid|API key expired|API key not found|Incorrect API key provided/i;
  if (reasons.includes("API_KEY_INVALID") || badKeyText.test(text)) {
    return fail("invalid_key", MSG.invalidKey(/expired/i.test(text) ? "the key has expired" : null));
  }
  if (/credit balance is too low/i.test(text) || ids.includes("billing_error")) {
    return fail("no_credits", MSG.noCredits(400, "the credit balance is too low"));
  }
  if (type === "google" && ids.includes("FAILED_PRECONDITION")) return fail("forbidden", MSG.billingRequired);
  return fail("provider_error", MSG.badRequest(400));
}

function classify402(type: ProviderType, body: Json | undefined, retryAfter: number | null): Classification {
  if (type === "openrouter") {
    const source = getString(getObject(getObject(body, "error"), "metadata"), "limit_source");
    if (source === "openrouter_in_flight_budget") {
      // Too many paid requests in flight at once: transient, not an empty balance.
      return fail("rate_limited", MSG.rateLimited(retryAfter, "in-flight spending budget reached"), retryAfter);
    }
    if (source === "openrouter_credits") return fail("no_credits", MSG.noCredits(402, "the account's credit balance is too low"));
    if (source === "openrouter_key_limit") return fail("no_credits", MSG.noCredits(402, "this key's credit limit is used up"));
  }
  return fail("no_credits", MSG.noCredits(402));
}

const GOOGLE_403: Readonly<Record<string, string>> = {
  SERVICE_DISABLED: "the Generative Language API is not enabled in the key's project",
  API_KEY_SERVICE_BLOCKED: "the key is restricted to other APIs",
  API_KEY_HTTP_REFERRER_BLOCKED: "the key's website restrictions block this server",
  API_KEY_IP_ADDRESS_BLOCKED: "the key's IP address restrictions block this server",
  CONSUMER_SUSPENDED: "the key's project is suspended",
};

function forbiddenQualifier(reasons: string[], ids: string[]): string | null {
  for (const r of reasons) {
    const q = GOOGLE_403[r];
    if (q) return q;
  }
  if (ids.includes("unsupported_country_region_territory")) return "the provider does not serve this country or region";
  return null;
}
