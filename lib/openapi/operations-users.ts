import type { ErrorCode } from "@/lib/errors";
import { changePasswordSchema, createUserSchema, patchUserSchema, resetPasswordSchema } from "@/lib/users/schemas";
import type { Operation } from "./operations";
import * as S from "./schemas-users";

/** The users API (/api/v1/users): accounts and sessions for admins, and each user's own. */
const userId = { id: "The user's id (UUID)" };
const sessionId = { session: "The session's id as the sessions list gives it" };
const jsonOnly: ErrorCode[] = ["invalid_request", "incomplete_body", "payload_too_large", "unsupported_media_type"];
const ENDS = "Ends every session of the user in the same transaction: their next request is signed out, on every instance.";

export const USER_OPERATIONS: Operation[] = [
  { method: "get", path: "/api/v1/users", tag: "Users", summary: "List the users", access: "admin", answers: { 200: { description: "Every user by email, with their live sessions", schema: S.UserList } } },
  {
    method: "post",
    path: "/api/v1/users",
    tag: "Users",
    summary: "Add a user",
    description: "Without `password`, a one-time password is generated: it is in this answer only, and the user must change it at first sign-in. Strict body.",
    access: "admin",
    body: { schema: createUserSchema, example: { email: "ana@example.com", role: "viewer" } },
    answers: { 201: { description: "Added", schema: S.UserWithPassword } },
    errors: [...jsonOnly, "conflict"],
  },
  { method: "get", path: "/api/v1/users/{id}", tag: "Users", summary: "One user", access: "admin", pathParams: userId, answers: { 200: { description: "The user", schema: S.UserAnswer } }, errors: ["not_found"] },
  {
    method: "patch",
    path: "/api/v1/users/{id}",
    tag: "Users",
    summary: "Change a role, disable or enable",
    description: `A role change or a disable: ${ENDS} The last enabled admin cannot be demoted or disabled (409 last_admin).`,
    access: "admin",
    pathParams: userId,
    body: { schema: patchUserSchema, example: { disabled: true } },
    answers: { 200: { description: "The user as they are now", schema: S.UserUpdated } },
    errors: [...jsonOnly, "not_found", "last_admin"],
  },
  {
    method: "delete",
    path: "/api/v1/users/{id}",
    tag: "Users",
    summary: "Remove a user",
    description: `${ENDS} The last enabled admin cannot be removed (409 last_admin).`,
    access: "admin",
    pathParams: userId,
    answers: { 200: { description: "Removed", schema: S.UserDeleted } },
    errors: ["not_found", "last_admin"],
  },
  {
    method: "post",
    path: "/api/v1/users/{id}/password",
    tag: "Users",
    summary: "Reset a user's password",
    description: `Without \`password\`, a one-time password is generated (in this answer only; to be changed at sign-in). ${ENDS}`,
    access: "admin",
    pathParams: userId,
    body: { schema: resetPasswordSchema, example: {} },
    answers: { 200: { description: "Reset", schema: S.UserWithPassword } },
    errors: [...jsonOnly, "not_found"],
  },
  { method: "get", path: "/api/v1/users/{id}/sessions", tag: "Users", summary: "A user's live sessions", access: "admin", pathParams: userId, answers: { 200: { description: "Most recently used first", schema: S.SessionList } }, errors: ["not_found"] },
  { method: "delete", path: "/api/v1/users/{id}/sessions", tag: "Users", summary: "Sign a user out everywhere", access: "admin", pathParams: userId, answers: { 200: { description: "How many sessions ended", schema: S.SessionsEnded } }, errors: ["not_found"] },
  {
    method: "delete",
    path: "/api/v1/users/{id}/sessions/{session}",
    tag: "Users",
    summary: "Sign out one session of a user",
    access: "admin",
    pathParams: { ...userId, ...sessionId },
    answers: { 200: { description: "Signed out", schema: S.SessionsEnded } },
    errors: ["not_found"],
  },

  // --- your own account
  { method: "get", path: "/api/v1/users/me", tag: "Your account", summary: "Your account", access: "user", beforePasswordChange: true, answers: { 200: { description: "You", schema: S.UserAnswer } } },
  {
    method: "post",
    path: "/api/v1/users/me/password",
    tag: "Your account",
    summary: "Change your password",
    description: "Needs the current password; failed attempts are rate-limited like sign-in. Signs out your other sessions; this one stays.",
    access: "user",
    beforePasswordChange: true,
    body: { schema: changePasswordSchema, example: { current_password: "the one you have", new_password: "a long new passphrase" } },
    answers: { 200: { description: "Changed", schema: S.PasswordChanged } },
    errors: [...jsonOnly, "rate_limited"],
  },
  { method: "get", path: "/api/v1/users/me/sessions", tag: "Your account", summary: "Your live sessions", access: "user", answers: { 200: { description: "Most recently used first; `current` marks this one", schema: S.SessionList } } },
  { method: "delete", path: "/api/v1/users/me/sessions", tag: "Your account", summary: "Sign out your other sessions", access: "user", answers: { 200: { description: "How many ended; this one stays", schema: S.SessionsEnded } } },
  {
    method: "delete",
    path: "/api/v1/users/me/sessions/{session}",
    tag: "Your account",
    summary: "Sign out one of your sessions",
    access: "user",
    pathParams: sessionId,
    answers: { 200: { description: "Signed out", schema: S.SessionsEnded } },
    errors: ["not_found"],
  },
];

