/**
 * The one table from error code to HTTP status (docs/api.md, "Errors"). A service throws
 * `new AppError(code, detail)`; the route wrapper and the server-action guard (lib/api/) answer with
 * the status this table gives, so no caller pairs a status with a code by hand.
 */
export const STATUS_OF_CODE = {
  invalid_request: 400,
  incomplete_body: 400,
  not_configured: 400,
  bad_base_url: 400,
  key_test_failed: 400,
  key_required_for_new_base_url: 400,
  bad_webhook_url: 400,
  invalid_records: 400,
  not_authenticated: 401,
  invalid_hub_key: 401,
  invalid_credentials: 401,
  forbidden: 403,
  password_change_required: 403,
  csrf: 403,
  missing_scope: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  last_admin: 409,
  webhook_disabled: 409,
  checks_disabled: 409,
  webhook_undecryptable: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  decryption_failed: 500,
  internal_error: 500,
  unavailable: 503,
  sign_in_busy: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof STATUS_OF_CODE;

/** What a rate limit said (lib/rate-limit's LimitResult has this shape): the reply's X-RateLimit-* headers. */
export interface LimitState {
  success: boolean;
  limit: number;
  remaining: number;
  /** Unix ms when the budget is next fully usable. */
  reset: number;
}

/** One problem with one record of a batch: its position, the field (null: the record itself), and what is wrong. */
export interface RecordIssue {
  index: number;
  field: string | null;
  message: string;
}

/**
 * Sets `Error.stackTraceLimit` for an error about to be constructed, and returns the value to put
 * back right after: 0 for a refusal (a 4xx), so that no stack trace is captured for it. A refusal
 * is an answer, not a fault, and nothing reads its stack; capturing one inside the bundled server
 * cost ~0.1-0.2 ms here (a fifth of the time of a loop over the built DELETE handler answering 404:
 * bench/NOTES.md). Faults (5xx) keep their stacks for the log.
 */
export function refusalStackLimit(status: number): number {
  const keep = Error.stackTraceLimit;
  if (status < 500) Error.stackTraceLimit = 0;
  return keep;
}

/** The one error type the API turns into `{detail, code}` with a status. `detail` is safe to show. */
export class AppError extends Error {
  /** Seconds to wait before trying again (an outage, a busy queue); a refused limit says it itself. */
  readonly retryAfterSeconds?: number;
  /** The rate limit that refused (or admitted) the request. */
  readonly limit?: LimitState;
  /** `invalid_records`: what is wrong with each record of a batch (the answer lists them). */
  readonly errors?: RecordIssue[];

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    opts: { retryAfterSeconds?: number; limit?: LimitState; errors?: RecordIssue[] } = {},
  ) {
    const keep = refusalStackLimit(STATUS_OF_CODE[code]);
    super(detail);
    Error.stackTraceLimit = keep;
    this.name = "AppError";
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.limit = opts.limit;
    this.errors = opts.errors;
  }

  /** The status the table gives this error's code. */
  get status(): number {
    return STATUS_OF_CODE[this.code];
  }
}

export const badRequest = (detail: string) => new AppError("invalid_request", detail);
export const notFound = (detail = "Provider not found") => new AppError("not_found", detail);

export const DB_UNAVAILABLE = "Database unavailable - please retry shortly";
export const REDIS_UNAVAILABLE = "Rate limiter unavailable (Redis unreachable) - please retry shortly";

const PG_OUTAGE_STATES = /^(08|57P0|53300|58)/; // connection exceptions, admin/crash shutdown, too many connections, system errors
const NET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/** True when an error (or any of its causes) says the database cannot be reached right now. */
export function isDatabaseOutage(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (NET_CODES.has(code) || PG_OUTAGE_STATES.test(code))) return true;
    const errno = (e as { errno?: unknown }).errno;
    if (typeof errno === "string" && NET_CODES.has(errno)) return true;
  }
  return false;
}

// character data Postgres cannot store (a NUL byte, an invalid or untranslatable sequence)
const PG_BAD_TEXT = new Set(["22021", "22P05"]);

function pgCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && PG_BAD_TEXT.has(code)) return code;
  }
  return undefined;
}

/**
 * Maps an outage to a 503 AppError and text the database cannot store to a 400 (a safety net: the
 * schemas refuse control characters first); anything else is returned unchanged.
 */
export function asAppError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  if (isDatabaseOutage(err)) return new AppError("unavailable", DB_UNAVAILABLE, { retryAfterSeconds: 5 });
  if (pgCode(err)) return badRequest("Request contains characters that cannot be stored (such as a NUL byte)");
  return err;
}
