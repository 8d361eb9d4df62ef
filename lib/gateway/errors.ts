import { textResponse } from "@/lib/api/error-reply";
import { refusalStackLimit } from "@/lib/errors";

/**
 * The gateway's own errors, in the OpenAI error shape so that every SDK shows them:
 * `{"error": {"message", "type", "code"}}`. One table maps each code to its status and type;
 * messages are fixed sentences written by the hub (never upstream text, never a key).
 */

const TABLE = {
  invalid_request: { status: 400, type: "invalid_request_error" },
  invalid_hub_key: { status: 401, type: "authentication_error" },
  model_not_allowed: { status: 403, type: "permission_error" },
  missing_scope: { status: 403, type: "permission_error" },
  provider_disabled: { status: 403, type: "permission_error" },
  unknown_model: { status: 404, type: "not_found_error" },
  provider_not_configured: { status: 409, type: "invalid_request_error" },
  body_too_large: { status: 413, type: "invalid_request_error" },
  rate_limited: { status: 429, type: "rate_limit_error" },
  budget_exceeded: { status: 429, type: "insufficient_quota" },
  upstream_unreachable: { status: 502, type: "api_error" },
  unavailable: { status: 503, type: "api_error" },
  upstream_timeout: { status: 504, type: "timeout_error" },
} as const satisfies Record<string, { status: number; type: string }>;

export type GatewayErrorCode = keyof typeof TABLE;

/** Every code the hub answers with (the OpenAPI document lists them). */
export const GATEWAY_ERROR_CODES = Object.keys(TABLE) as GatewayErrorCode[];

/** Retry-After sent with a 429 when the caller did not say how long to wait. */
const DEFAULT_RETRY_AFTER_S = 60;

export const gatewayErrorStatus = (code: GatewayErrorCode): number => TABLE[code].status;

/** A refusal made by the hub itself; `message` is shown to the client as is. */
export class GatewayError extends Error {
  readonly status: number;
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    /** For 429s (and 503s): seconds the client should wait. */
    readonly retryAfterSeconds?: number,
  ) {
    const keep = refusalStackLimit(TABLE[code].status);
    super(message);
    Error.stackTraceLimit = keep;
    this.name = "GatewayError";
    this.status = TABLE[code].status;
  }
}

/** The hub's error as a Response; `requestId` goes back as `x-llmhub-request-id`. */
export function gatewayErrorResponse(err: GatewayError, requestId?: string): Response {
  const headers: Record<string, string> = { "content-type": "application/json", "cache-control": "no-store" };
  if (requestId) headers["x-llmhub-request-id"] = requestId;
  const retry = err.retryAfterSeconds ?? (err.status === 429 ? DEFAULT_RETRY_AFTER_S : undefined);
  if (retry !== undefined) headers["retry-after"] = String(Math.max(0, Math.ceil(retry)));
  const body = { error: { message: err.message, type: TABLE[err.code].type, code: err.code } };
  return textResponse(JSON.stringify(body), err.status, headers);
}

/** Shorthand: the Response for a code and message. */
export const gatewayError = (code: GatewayErrorCode, message: string, opts: { retryAfterSeconds?: number; requestId?: string } = {}): Response =>
  gatewayErrorResponse(new GatewayError(code, message, opts.retryAfterSeconds), opts.requestId);
