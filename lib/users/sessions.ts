import "server-only";
import { sessionsChanged } from "@/lib/auth/session";
import type { ServiceCall } from "@/lib/call-context";
import { deleteUserSessions, listLiveSessionsByUser } from "@/lib/db/queries/sessions";
import type { User } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { userAudit } from "./audit";
import { sessionRef, toSessionView } from "./serialize";

/**
 * A user's live sessions, for the admin (Users tab, /api/v1/users/{id}/sessions) and for the user
 * themselves (Your account, /api/v1/users/me/sessions). Ending a session deletes its row: the very
 * next request with its cookie is signed out, on every instance.
 */
export async function listSessionViews(user: User | { id: string }, currentSessionId: string | null) {
  const rows = await listLiveSessionsByUser(user.id);
  return { success: true as const, total: rows.length, sessions: rows.map((r) => toSessionView(r, currentSessionId)) };
}

/** Ends one session of `user`, named by the id the API shows for it; 404 when it is not theirs or is gone. */
export async function endSession(call: ServiceCall, user: { id: string; email: string }, ref: string) {
  const row = (await listLiveSessionsByUser(user.id)).find((s) => sessionRef(s.id) === ref);
  if (!row) throw new AppError("not_found", "Session not found (it may have ended already)");
  const ended = await deleteUserSessions(user.id, { ids: [row.id] }, (n) => userAudit(call, "session.revoke", user, 200, { session: ref, ended: n }));
  await sessionsChanged();
  log.info(`${call.actor.email} ended a session of ${user.email}`);
  return { success: true as const, ended, message: "Signed out that session." };
}

/** Ends every session of `user`, or every one but `except` (the caller's own, when they sign out their other sessions). */
export async function endAllSessions(call: ServiceCall, user: { id: string; email: string }, except: string | null) {
  const ended = await deleteUserSessions(user.id, { except }, (n) => userAudit(call, "session.revoke", user, 200, { all: true, kept_current: except !== null, ended: n }));
  await sessionsChanged();
  log.info(`${call.actor.email} ended ${ended} session(s) of ${user.email}`);
  return { success: true as const, ended, message: `Signed out ${ended} session${ended === 1 ? "" : "s"}.` };
}
