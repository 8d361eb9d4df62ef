"use server";
import { changePasswordSchema, sessionRefSchema } from "@/lib/users/schemas";
import { changeOwnPassword, endOtherSessions, endOwnSession } from "@/lib/users/self";
import { z } from "zod";
import { userAction } from "./safe-action";

/** The same service as `/api/v1/users/me`, for "Your account": any signed-in user, about themselves only. */
export async function changeOwnPasswordAction(input: unknown) {
  return userAction("user.password_change", changePasswordSchema, input, (call, data) => changeOwnPassword(call, data), { beforePasswordChange: true });
}

/** Signs out one of the caller's sessions (`session` given) or all but the current one. */
export async function endOwnSessionsAction(session?: unknown) {
  return userAction("session.revoke", z.object({ session: sessionRefSchema.optional() }), { session }, (call, d) => (d.session === undefined ? endOtherSessions(call) : endOwnSession(call, d.session)));
}
