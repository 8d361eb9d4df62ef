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
}
