import "server-only";
import type { NextRequest } from "next/server";
import type { ZodType } from "zod";
import { auditDenied } from "@/lib/audit/denied";
import type { AuditAction } from "@/lib/audit/record";
import { resolveSession, SESSION_COOKIE, type SessionUser } from "@/lib/auth/session";
import { ensureReady } from "@/lib/boot";
import { markDatabaseDown } from "@/lib/db/client";
import { AppError, asAppError, isDatabaseOutage } from "@/lib/errors";
import { errorFields, log } from "@/lib/log";
import { errorReply, INTERNAL_ERROR, isDenial, json, PASSWORD_CHANGE_REQUIRED } from "./error-reply";
import { checkOrigin } from "./origin";
import { readJsonBody, parseWith } from "./body";
import { requestContext, type RequestContext } from "./request-context";

export { json } from "./error-reply";

type Access = "admin" | "user" | "public";

export interface HandlerArgs<P, U, E = never> {
  req: NextRequest;
  /** What the route's `early` read returned, when it ran (see apiRoute). */
  early: Promise<E> | undefined;
  /** The signed-in user; never null unless the route is public. */
  user: U;
  ctx: RequestContext;
  params: P;
  /** Reads and validates the JSON body with a schema (400 naming the field on failure). */
  body: <T>(schema: ZodType<T>) => Promise<T>;
}

export interface Reply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The one wrapper every route handler goes through: readiness, origin check on mutations, session
 * and role, then the handler; typed errors become `{detail, code}`, anything else a fixed 500.
 * Denied requests (401/403/429) are audited under the route's action.
 */
export function apiRoute<P = Record<string, never>, A extends Access = Access, E = never>(
  opts: {
    access: A;
    action: AuditAction;
    /**
     * A read the handler will need, started alongside the session check once the cookie is known to
     * carry our seal (so its database round trip overlaps the session's); its result reaches the
     * handler only after the session and role checks passed, and is dropped otherwise.
     */
    early?: () => Promise<E>;
    /** Served to a user who signed in with a one-time password and has not replaced it yet. */
    beforePasswordChange?: true;
  },
  handler: (args: HandlerArgs<P, A extends "public" ? SessionUser | null : SessionUser, E>) => Promise<Reply | Response>,
) {
  return async (req: NextRequest, route: { params: Promise<P> }): Promise<Response> => {
    const ctx = requestContext(req.headers);
    let user: SessionUser | null = null;
    let early: Promise<E> | undefined;
    const startEarly = opts.early
      ? () => {
          early = opts.early!();
          early.catch(() => {}); // a failure is the handler's to see; dropped with the request otherwise
        }
      : undefined;
    try {
      await ensureReady();
      if (MUTATING.has(req.method)) checkOrigin(req);
      if (opts.access !== "public") {
        const cookie = req.cookies.get(SESSION_COOKIE)?.value;
        user = await resolveSession(cookie, startEarly);
        if (!user) {
          throw new AppError("not_authenticated", cookie ? "Invalid session - please login again" : "Not authenticated - no session token");
        }
        if (user.mustChangePassword && !opts.beforePasswordChange) throw PASSWORD_CHANGE_REQUIRED;
        if (opts.access === "admin" && user.role !== "admin") throw new AppError("forbidden", "Admin access required");
      }
      const params = (await route?.params) ?? ({} as P);
      const body = async <T>(schema: ZodType<T>) => parseWith(schema, await readJsonBody(req));
      const out = await handler({ req, user: user as SessionUser, ctx, params, body, early });
      if (out instanceof Response) return out;
      return json(out.body, out.status ?? 200, out.headers);
    } catch (raw) {
      if (isDatabaseOutage(raw)) markDatabaseDown();
      const err = asAppError(raw);
      if (err instanceof AppError) {
        if (isDenial(err)) await auditDenied(opts.action, err, user, ctx, "api");
        return errorReply(err);
      }
      log.error(`Unhandled error in ${req.method} ${req.nextUrl.pathname}`, errorFields(raw));
      return errorReply(INTERNAL_ERROR);
    }
  };
}
