/** The one error type the API turns into `{detail, code}` with a status. `detail` is safe to show. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "AppError";
  }
}

export const badRequest = (detail: string, code = "invalid_request") => new AppError(400, code, detail);
export const notFound = (detail = "Provider not found") => new AppError(404, "not_found", detail);

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
  if (isDatabaseOutage(err)) return new AppError(503, "unavailable", DB_UNAVAILABLE, { "Retry-After": "5" });
  if (pgCode(err)) return badRequest("Request contains characters that cannot be stored (such as a NUL byte)");
  return err;
}
