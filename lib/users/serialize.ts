import "server-only";
import { createHash } from "node:crypto";
import type { UserWithSessions } from "@/lib/db/queries/users";
import type { Session, User } from "@/lib/db/schema";

/** A user as the API shows them. Whitelisted fields: the password hash never leaves. */
export function toUserView(row: User & Partial<Pick<UserWithSessions, "liveSessions" | "lastSeenAt">>) {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    disabled: row.disabled,
    must_change_password: row.mustChangePassword,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    live_sessions: row.liveSessions ?? null,
    last_seen_at: row.lastSeenAt?.toISOString() ?? null,
  };
}

export type UserView = ReturnType<typeof toUserView>;

/**
 * The id a session is shown under. The row's own id is the SHA-256 of the cookie's token; it is
 * not shown, so that nothing the API answers is one step from a session's secret.
 */
export const sessionRef = (id: string) => createHash("sha256").update(`session-ref:${id}`).digest("base64url").slice(0, 22);

/** A live session as its user or an admin sees it; `current` marks the one the request came with. */
export function toSessionView(row: Session, currentSessionId: string | null) {
  return {
    id: sessionRef(row.id),
    created_at: row.createdAt.toISOString(),
    last_seen_at: row.lastSeenAt.toISOString(),
    expires_at: row.expiresAt.toISOString(),
    ip: row.ip,
    user_agent: row.userAgent,
    current: row.id === currentSessionId,
  };
}

export type SessionView = ReturnType<typeof toSessionView>;
