import { z } from "zod";
import { ts } from "./schemas";

/** The users API's answers (lib/users/serialize.ts). */
const role = z.enum(["admin", "viewer"]);

export const UserAccount = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role,
    disabled: z.boolean(),
    must_change_password: z.boolean().meta({ description: "Has a one-time password that must be changed at the next sign-in" }),
    created_at: ts,
    updated_at: ts,
    live_sessions: z.number().int().nullable().meta({ description: "Sessions not yet expired (in the list; null for one user)" }),
    last_seen_at: ts.nullable().meta({ description: "When one of them was last used (to the minute)" }),
  })
  .meta({ id: "UserAccount" });
export const UserList = z.object({ success: z.literal(true), total: z.number().int(), users: z.array(UserAccount) }).meta({ id: "UserList" });
export const UserAnswer = z.object({ success: z.literal(true), user: UserAccount }).meta({ id: "UserAnswer" });
export const UserWithPassword = z
  .object({
    success: z.literal(true),
    user: UserAccount,
    password: z.string().nullable().meta({ description: "The generated one-time password, in this answer only; null when the request gave one" }),
    message: z.string(),
  })
  .meta({ id: "UserWithPassword" });
export const UserUpdated = z.object({ success: z.literal(true), user: UserAccount, sessions_ended: z.boolean() }).meta({ id: "UserUpdated" });
export const UserDeleted = z.object({ success: z.literal(true), id: z.uuid(), message: z.string() }).meta({ id: "UserDeleted" });
export const PasswordChanged = z.object({ success: z.literal(true), user: UserAccount, message: z.string() }).meta({ id: "PasswordChanged" });

export const LiveSession = z
  .object({
    id: z.string().meta({ description: "The session's id in this API (not its cookie, nor what is stored)" }),
    created_at: ts,
    last_seen_at: ts.meta({ description: "Last request, to the minute" }),
    expires_at: ts,
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    current: z.boolean().meta({ description: "The session this request came with" }),
  })
  .meta({ id: "LiveSession" });
export const SessionList = z.object({ success: z.literal(true), total: z.number().int(), sessions: z.array(LiveSession) }).meta({ id: "SessionList" });
export const SessionsEnded = z.object({ success: z.literal(true), ended: z.number().int(), message: z.string() }).meta({ id: "SessionsEnded" });
