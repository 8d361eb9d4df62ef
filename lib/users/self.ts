import "server-only";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { sessionsChanged } from "@/lib/auth/session";
import type { SessionUser } from "@/lib/auth/session";
import type { RequestContext } from "@/lib/call-context";
import { recordAudit } from "@/lib/audit/record";
import { errorFields, log } from "@/lib/log";
import { getLimiter } from "@/lib/rate-limit/limiter";
import { AppError, badRequest } from "@/lib/errors";
import { userAudit } from "./audit";
import type { ChangePasswordInput } from "./schemas";
import { findUser } from "./service";
import { endAllSessions, endSession, listSessionViews } from "./sessions";
import { changeUser } from "@/lib/db/queries/users";
import { toUserView } from "./serialize";

/** What a signed-in user may do to their own account: see it, change their password, see and end their sessions. */
export interface SelfCall {
  actor: SessionUser;
  request: RequestContext;
}

export async function getOwnAccount(call: SelfCall) {
  return { success: true as const, user: toUserView(await findUser(call.actor.id)) };
}

/**
 * Changes the caller's password after checking the current one. Failed attempts spend the
 * per-user budget (like sign-in, a success gives its unit back), so a session left open cannot be
 * used to guess the password. Every other session of the user ends; this one stays signed in.
 */
export async function changeOwnPassword(call: SelfCall, input: ChangePasswordInput) {
  const limiter = getLimiter("password-change");
  const spent = await limiter.limit(call.actor.id);
  if (!spent.success) {
    await recordAudit({ action: "user.password_change", outcome: "denied", actor: call.actor, target: call.actor.id, statusCode: 429 }, call.request);
    throw new AppError("rate_limited", "Too many failed password changes. Try again later.", { limit: spent });
  }
  const user = await findUser(call.actor.id);
  if (!(await verifyPassword(input.current_password, user.passwordHash))) {
    await recordAudit({ action: "user.password_change", outcome: "failure", actor: call.actor, target: user.id, statusCode: 400, detail: { reason: "bad_password" } }, call.request);
    throw badRequest("current_password: is not your current password");
  }
  if (spent.spend) await limiter.refund(call.actor.id, spent.spend).catch((err: unknown) => log.warn("Could not refund a password change", errorFields(err)));
  const out = await changeUser(
    user.id,
    { kind: "update", set: { passwordHash: await hashPassword(input.new_password), mustChangePassword: false } },
    { endSessions: { except: call.actor.sessionId }, audit: (before) => userAudit(call, "user.password_change", before, 200, { other_sessions_ended: true }) },
  );
  if (out === "not_found" || out === "last_admin") throw new AppError("not_found", "User not found");
  await sessionsChanged();
  log.info(`${user.email} changed their password`);
  return { success: true as const, user: toUserView(out), message: "Password changed. Your other sessions have been signed out." };
}

export const listOwnSessions = (call: SelfCall) => listSessionViews(call.actor, call.actor.sessionId);
export const endOwnSession = (call: SelfCall, ref: string) => endSession(call, call.actor, ref);
/** Signs out every other session; this one stays. */
export const endOtherSessions = (call: SelfCall) => endAllSessions(call, call.actor, call.actor.sessionId);
