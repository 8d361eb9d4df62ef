/** Why a key test failed. One vocabulary, shared by the API, the UI and stored results (docs/api.md, `error_code` in "POST /api/v1/llm/providers/keys/test"). */
export type KeyTestErrorCode =
  | "invalid_key"
  | "forbidden"
  | "no_credits"
  | "rate_limited"
  | "provider_error"
  | "timeout"
  | "unreachable"
  | "bad_base_url"
  | "not_configured";

/**
 * The result of one key test. snake_case on purpose: this is the wire shape of
 * `POST /keys/test` and it is stored as JSON beside the key row.
 */
export interface KeyTestResult {
  success: boolean;
  /** Measured round trip of the validation request; null when no response arrived. */
  latency_ms: number | null;
  models_found: number | null;
  /** A fixed sentence chosen by us; never text copied from the provider. */
  error: string | null;
  error_code: KeyTestErrorCode | null;
  status_code: number | null;
  /** ISO 8601 UTC with `Z`. */
  tested_at: string;
  /** Seconds the provider asked us to wait (Retry-After), when it said. */
  retry_after_s?: number | null;
  /** OpenRouter only: the key's credit as `GET /api/v1/key` reported it; null for other providers or when it said nothing. */
  credits?: ProviderCredits | null;
}

/**
 * A key's credit in US dollars, as OpenRouter's `GET /api/v1/key` reports it (providers.md §3.1):
 * `limit` and `limit_remaining` are null when the key has no cap; `limit_reset` is how often the
 * cap resets (`daily`, `weekly`, `monthly`) or null; `usage` is what the key has spent.
 */
export interface ProviderCredits {
  usage: number | null;
  limit: number | null;
  limit_remaining: number | null;
  limit_reset: string | null;
}
