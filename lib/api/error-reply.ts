import "server-only";
import { AppError } from "@/lib/errors";
import { rateLimitHeaders, secondsUntilReset } from "./rate-limit-headers";

const NO_STORE = { "Cache-Control": "no-store" };

/**
 * Where a Response made here keeps its body's text, for server/fast-path.mjs: it writes that text in
 * one go instead of reading the body stream (the same bytes; the stream stays for anyone else,
 * `next dev` included). A registered symbol: the fast path is not bundled with the app.
 */
export const BODY_TEXT = Symbol.for("llmhub.bodyText");

/** A JSON answer that no cache keeps (what Response.json answers, with its text kept under BODY_TEXT). */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return textResponse(JSON.stringify(body), status, { "content-type": "application/json", ...NO_STORE, ...headers });
}

/** A Response with a text body, the text kept under BODY_TEXT. */
export function textResponse(text: string, status: number, headers: HeadersInit): Response {
  const res = new Response(text, { status, headers });
  (res as Response & { [BODY_TEXT]?: string })[BODY_TEXT] = text;
  return res;
}

/** Seconds the caller should wait before trying again: what the error says, or when its refused limit resets. */
export function retryAfterOf(err: AppError, now = Date.now()): number | undefined {
  if (err.retryAfterSeconds !== undefined) return err.retryAfterSeconds;
  return err.limit && !err.limit.success ? secondsUntilReset(err.limit, now) : undefined;
}

/** The headers an error answer carries: its limit's X-RateLimit-* and, when there is a wait, Retry-After. */
export function errorHeaders(err: AppError, now = Date.now()): Record<string, string> {
  const headers = err.limit ? rateLimitHeaders(err.limit, now) : {};
  const retryAfter = retryAfterOf(err, now);
  if (retryAfter !== undefined) headers["Retry-After"] = String(retryAfter);
  return headers;
}

/** A refusal of who is asking (not signed in, not an admin, a foreign origin): audited as denied. */
export function isDenial(err: AppError): boolean {
  return (err.status === 401 || err.status === 403) && err.code !== "invalid_credentials";
}

/** What anything unexpected becomes; its cause goes to the server log only. */
export const INTERNAL_ERROR = new AppError("internal_error", "Internal server error");

/** A user signed in with a one-time password may only change it (and sign out) until they do. */
export const PASSWORD_CHANGE_REQUIRED = new AppError("password_change_required", "Change your one-time password first: POST /api/v1/users/me/password");

/** An AppError as the API answers it: `{detail, code}` (and a batch's per-record `errors`) with the status of its code. */
export function errorReply(err: AppError): Response {
  return json({ detail: err.detail, code: err.code, ...(err.errors ? { errors: err.errors } : {}) }, err.status, errorHeaders(err));
}

