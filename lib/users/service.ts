import "server-only";
import { generatePassword, hashPassword } from "@/lib/auth/password";
import { sessionsChanged } from "@/lib/auth/session";
import type { ServiceCall } from "@/lib/call-context";
import { changeUser, getUserByEmail, getUserById, insertUserWithAudit, listUsersWithSessions, type UserChange } from "@/lib/db/queries/users";
import type { User } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { log } from "@/lib/log";
import { userAudit } from "./audit";
import type { CreateUserInput, PatchUserInput, ResetPasswordInput } from "./schemas";
import { toUserView } from "./serialize";

/**
 * The users service: the admin API (/api/v1/users), the Users tab and the `npm run users` CLI all
 * call it. Every change is audited in the transaction that makes it, and ends the sessions it
 * affects there too, so that it holds on every instance at once (every request reads its session
 * row). No change may leave the hub without an enabled admin.
 */
const notFound = () => new AppError("not_found", "User not found");
const ONE_TIME = "Copy the one-time password now: it is not shown again. It must be changed at the first sign-in.";
export const LAST_ADMIN = "This is the last enabled admin: make another user an admin first";

export async function listUserViews() {
  const rows = await listUsersWithSessions();
  return { success: true as const, total: rows.length, users: rows.map(toUserView) };
}

/** The user, or a 404 (an id that is not a UUID is not looked up). */
export async function findUser(id: string): Promise<User> {
  const row = isUuid(id) ? await getUserById(id) : undefined;
  if (!row) throw notFound();
  return row;
}

/** The CLI names users by email. */
export async function findUserByEmail(email: string): Promise<User | undefined> {
  return getUserByEmail(email.trim().toLowerCase());
}

export async function getUserView(id: string) {
  return { success: true as const, user: toUserView(await findUser(id)) };
}

/** The password to store: the one given, or a generated one-time password the user must replace. */
async function passwordOf(given: string | undefined) {
  const password = given ?? generatePassword();
  return { password, hash: await hashPassword(password), oneTime: given === undefined };
}

/** Adds a user (the API answers 201). A generated password is in this answer only. */
export async function createUser(call: ServiceCall, input: CreateUserInput) {
  const pw = await passwordOf(input.password);
  const row = await insertUserWithAudit({ email: input.email, role: input.role, passwordHash: pw.hash, mustChangePassword: pw.oneTime }, (u) =>
    userAudit(call, "user.create", u, 201, { role: u.role, one_time_password: pw.oneTime }),
  );
  if (!row) throw new AppError("conflict", `A user ${input.email} already exists`);
  log.info(`${call.actor.email} added ${row.role} ${row.email}`);
  return { success: true as const, user: toUserView(row), password: pw.oneTime ? pw.password : null, message: pw.oneTime ? ONE_TIME : `Added ${row.email}.` };
}

/** Runs a change; a 404 or a 409 (last admin) as the query reports them. */
async function change(id: string, what: UserChange, opts: Parameters<typeof changeUser>[2]): Promise<User> {
  if (!isUuid(id)) throw notFound();
  const out = await changeUser(id, what, opts);
  if (out === "not_found") throw notFound();
  if (out === "last_admin") throw new AppError("last_admin", LAST_ADMIN);
  await sessionsChanged();
  return out;
}

/** Changes a role or enables/disables a user; a role change or a disable ends their sessions. */
export async function updateUser(call: ServiceCall, id: string, input: PatchUserInput) {
  const endsSessions = input.role !== undefined || input.disabled === true;
  const row = await change(
    id,
    { kind: "update", set: { role: input.role, disabled: input.disabled } },
    {
      endSessions: endsSessions ? "all" : "none",
      audit: (before, after) =>
        userAudit(call, "user.update", before, 200, {
          role: after?.role,
          disabled: after?.disabled,
          changed: { ...(input.role !== undefined && { role: [before.role, input.role] }), ...(input.disabled !== undefined && { disabled: [before.disabled, input.disabled] }) },
          sessions_ended: endsSessions,
        }),
    },
  );
  log.info(`${call.actor.email} changed user ${row.email}: role ${row.role}, ${row.disabled ? "disabled" : "enabled"}`);
  return { success: true as const, user: toUserView(row), sessions_ended: endsSessions };
}

/** A new password (given, or a generated one-time one shown in this answer only); ends every session of the user. */
export async function resetPassword(call: ServiceCall, id: string, input: ResetPasswordInput) {
  const pw = await passwordOf(input.password);
  const row = await change(
    id,
    { kind: "update", set: { passwordHash: pw.hash, mustChangePassword: pw.oneTime } },
    { endSessions: "all", audit: (before) => userAudit(call, "user.password_reset", before, 200, { one_time_password: pw.oneTime, sessions_ended: true }) },
  );
  log.info(`${call.actor.email} reset the password of ${row.email}`);
  return { success: true as const, user: toUserView(row), password: pw.oneTime ? pw.password : null, message: pw.oneTime ? ONE_TIME : `${row.email} has a new password.` };
}

/** Removes a user for good; their sessions end with them. */
export async function deleteUser(call: ServiceCall, id: string) {
  const row = await change(id, { kind: "delete" }, { endSessions: "none", audit: (before) => userAudit(call, "user.delete", before, 200, { role: before.role }) });
  log.info(`${call.actor.email} deleted user ${row.email}`);
  return { success: true as const, id: row.id, message: `Deleted ${row.email}; their sessions have ended.` };
}
