/**
 * Every human sentence a key test can report. They are fixed here, and only ever extended with
 * qualifiers we derived ourselves, because provider error messages can echo parts of the key
 * (OpenAI's "Incorrect API key provided: sk-proj-***...abcd").
 */

const httpQualifier = (q: string | null): string => (q ? ` - ${q}` : "");

export const MSG = {
  invalidKey: (q: string | null = null) => `Invalid API key - authentication failed${httpQualifier(q)}`,
  forbidden: (q: string | null = null) => `API key is valid but lacks permission (403 Forbidden)${httpQualifier(q)}`,
  missingScope: "API key is valid but lacks permission (restricted key missing a required scope)",
  managementKey: "API key is valid but is an OpenRouter management key, which cannot call models",
  billingRequired:
    "API key is valid but cannot be used here (400 FAILED_PRECONDITION) - the free tier is not available in this region; billing is required",
  noCredits: (status: number = 402, q: string | null = null) =>
    `Out of credits or spend limit reached (${status})${httpQualifier(q)}`,
  quotaExhausted: "Out of credits or quota exhausted (429 insufficient_quota)",
  dailyQuota: "Daily quota exhausted (429 RESOURCE_EXHAUSTED) - it resets at the end of the day",
  rateLimited: (retryAfterS: number | null, q: string | null = null) =>
    `Rate limited by the provider${q ? ` (${q})` : ""} - the key is probably fine; ` +
    (retryAfterS === null ? "retry later" : `retry in ${retryAfterS} s`),
  providerError: (status: number) => `Provider error (HTTP ${status}) - try again later`,
  badRequest: (status: number) => `Provider rejected the validation request (HTTP ${status})`,
  notFound: (status: number) => `Validation endpoint not found (HTTP ${status}) - check the base URL`,
  redirect: (status: number) =>
    `Provider answered with a redirect (HTTP ${status}), which is not followed - check the base URL`,
  unexpectedStatus: (status: number) => `Unexpected response from the provider (HTTP ${status})`,
  notJson: (status: number) =>
    `Provider answered HTTP ${status} but not with JSON - check the base URL (is it an OpenAI-compatible API?)`,
  timeout: (timeoutMs: number) => `Request timed out after ${formatSeconds(timeoutMs)} s`,
  unreachable: (reason: string) => `Could not reach the provider: ${reason}`,
  notConfigured: (type: string) => `No API key configured for provider: ${type}`,
  noBaseUrl: "No base URL configured for this custom endpoint",
  badConfiguredBaseUrl: (type: string) => `The configured base URL for ${type} is not a valid http(s) URL`,
  unsendableKey: "API key contains characters that cannot be sent in an HTTP header",
} as const;

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : s.toFixed(1).replace(/\.0$/, "");
}
