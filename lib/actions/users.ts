"use server";
import { z } from "zod";
import { createUserSchema, patchUserSchema, sessionRefSchema, userIdSchema } from "@/lib/users/schemas";
import { endAllSessions, endSession } from "@/lib/users/sessions";
import { createUser, deleteUser, findUser, resetPassword, updateUser } from "@/lib/users/service";
import { adminAction } from "./safe-action";

/** The same service as `/api/v1/users`, for the Users tab. Add and reset answer with a one-time password, once. */
export async function createUserAction(input: unknown) {
  return adminAction("user.create", createUserSchema, input, (call, data) => createUser(call, data));
}

export async function patchUserAction(id: unknown, input: unknown) {
  return adminAction("user.update", z.object({ id: userIdSchema, changes: patchUserSchema }), { id, changes: input }, (call, d) => updateUser(call, d.id, d.changes));
}

export async function resetPasswordAction(id: unknown) {
  return adminAction("user.password_reset", userIdSchema, id, (call, uid) => resetPassword(call, uid, {}));
}

export async function deleteUserAction(id: unknown) {
  return adminAction("user.delete", userIdSchema, id, (call, uid) => deleteUser(call, uid));
}

/** Signs out one session of a user (`session` given) or all of them. */
export async function endUserSessionsAction(id: unknown, session?: unknown) {
  const schema = z.object({ id: userIdSchema, session: sessionRefSchema.optional() });
  return adminAction("session.revoke", schema, { id, session }, async (call, d) => {
    const user = await findUser(d.id);
    return d.session === undefined ? endAllSessions(call, user, null) : endSession(call, user, d.session);
  });
}
