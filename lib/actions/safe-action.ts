import "server-only";
import { cookies, headers } from "next/headers";
import type { ZodType } from "zod";
import { parseWith } from "@/lib/api/body";
import { INTERNAL_ERROR, isDenial, PASSWORD_CHANGE_REQUIRED, retryAfterOf } from "@/lib/api/error-reply";
import { requestContext, type RequestContext } from "@/lib/api/request-context";
import { auditDenied } from "@/lib/audit/denied";
import type { AuditAction } from "@/lib/audit/record";
import { currentUser } from "@/lib/api/current-user";
import { SESSION_COOKIE, type SessionUser } from "@/lib/auth/session";
import { markDatabaseDown } from "@/lib/db/client";
import { AppError, asAppError, isDatabaseOutage } from "@/lib/errors";
import { errorFields, log } from "@/lib/log";
import type { CallContext } from "@/lib/call-context";
import type { ActionError, ActionResult } from "./result";

/**
 * The one guard every server action goes through, the counterpart of `apiRoute` for the UI: the
 * session from the cookie (401), a one-time password not yet replaced (403), the admin role (403),
 * the same zod schema as the REST handler (400 naming the field), then the `lib/` service with the
 * caller and where the request came from. Typed errors become `{detail, code, status, retryAfter}`;
 * anything else is logged and becomes a fixed 500. (Next checks the Origin of server action requests itself.)
 */
export async function adminAction<I, T>(
  action: AuditAction,
  schema: ZodType<I>,
  input: unknown,
  run: (call: CallContext, data: I) => Promise<T>,
): Promise<ActionResult<T>> {
  return guardedAction({ access: "admin" }, action, schema, input, run);
}

/** The same guard for what any signed-in user may do to their own account. */
export async function userAction<I, T>(
  action: AuditAction,
  schema: ZodType<I>,
  input: unknown,
  run: (call: { actor: SessionUser; request: RequestContext }, data: I) => Promise<T>,
  opts: { beforePasswordChange?: true } = {},
): Promise<ActionResult<T>> {
  return guardedAction({ access: "user", ...opts }, action, schema, input, run);
}

async function guardedAction<I, T>(
  opts: { access: "admin" | "user"; beforePasswordChange?: true },
  action: AuditAction,
  schema: ZodType<I>,
  input: unknown,
  run: (call: { actor: SessionUser; request: RequestContext }, data: I) => Promise<T>,
): Promise<ActionResult<T>> {
  let ctx: RequestContext = { ip: null, userAgent: null };
  let user: SessionUser | null = null;
  try {
    ctx = requestContext(await headers());
    const jar = await cookies();
    user = await currentUser(jar);
    if (!user) {
      const detail = jar.get(SESSION_COOKIE) ? "Invalid session - please login again" : "Not authenticated - no session token";
      throw new AppError("not_authenticated", detail);
    }
    if (user.mustChangePassword && !opts.beforePasswordChange) throw PASSWORD_CHANGE_REQUIRED;
    if (opts.access === "admin" && user.role !== "admin") throw new AppError("forbidden", "Admin access required");
    const data = parseWith(schema, input);
    return { ok: true, data: await run({ actor: user, request: ctx }, data) };
  } catch (raw) {
    if (isDatabaseOutage(raw)) markDatabaseDown();
    const err = asAppError(raw);
    if (err instanceof AppError) {
      if (isDenial(err)) await auditDenied(action, err, user, ctx, "server_action");
      return { ok: false, error: toActionError(err) };
    }
    log.error(`Unhandled error in server action ${action}`, errorFields(raw));
    return { ok: false, error: toActionError(INTERNAL_ERROR) };
  }
}

/** The error as the UI reads it: the same detail, code and status as the REST answer, and its wait. */
function toActionError(err: AppError): ActionError {
  const out: ActionError = { detail: err.detail, code: err.code, status: err.status };
  const retryAfter = retryAfterOf(err);
  if (retryAfter !== undefined && retryAfter > 0) out.retryAfter = retryAfter;
  return out;
}
