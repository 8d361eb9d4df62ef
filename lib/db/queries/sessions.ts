import "server-only";
import { and, desc, eq, gt, inArray, lt, ne, sql } from "drizzle-orm";
import { getDb } from "../client";
import { prepared } from "../prepared";
import { auditEvents, type NewAuditEvent, type Session, sessions, users } from "../schema";

export async function insertSession(s: typeof sessions.$inferInsert): Promise<void> {
  const db = await getDb();
  await db.insert(sessions).values(s);
}

/** The live session and its (enabled) user, in one query: every request pays exactly this. */
export async function getActiveSessionById(id: string) {
  const db = await getDb();
  const stmt = prepared(db, "get_active_session", (d) =>
    d
      .select({
        sessionId: sessions.id,
        expiresAt: sessions.expiresAt,
        lastSeenAt: sessions.lastSeenAt,
        userId: users.id,
        email: users.email,
        role: users.role,
        mustChangePassword: users.mustChangePassword,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.id, sql.placeholder("id")), gt(sessions.expiresAt, sql`now()`), eq(users.disabled, false)))
      .limit(1)
      .prepare("get_active_session"),
  );
  const [row] = await stmt.execute({ id });
  return row;
}

/** Marks a session used now, unless that was written in the last minute (by any instance). */
export async function touchSessionLastSeen(id: string): Promise<void> {
  const db = await getDb();
  await db
    .update(sessions)
    .set({ lastSeenAt: sql`now()` })
    .where(and(eq(sessions.id, id), lt(sessions.lastSeenAt, sql`now() - interval '1 minute'`)));
}

/** A user's live sessions, most recently used first. */
export async function listLiveSessionsByUser(userId: string): Promise<Session[]> {
  const db = await getDb();
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, sql`now()`)))
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt));
}

/**
 * Ends some of a user's sessions (the ids given, or all but `except`, or all) with the audit record
 * in the same transaction; returns how many ended.
 */
export async function deleteUserSessions(userId: string, which: { ids: string[] } | { except: string | null }, audit: (ended: number) => NewAuditEvent): Promise<number> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const where =
      "ids" in which
        ? and(eq(sessions.userId, userId), inArray(sessions.id, which.ids))
        : which.except
          ? and(eq(sessions.userId, userId), ne(sessions.id, which.except))
          : eq(sessions.userId, userId);
    const rows = await tx.delete(sessions).where(where).returning({ id: sessions.id });
    await tx.insert(auditEvents).values(audit(rows.length));
    return rows.length;
  });
}

export async function deleteSessionById(id: string): Promise<void> {
  const db = await getDb();
  await db.delete(sessions).where(eq(sessions.id, id));
}

/** Sessions that ended before `now` (they can never be used again); returns how many went. */
export async function deleteExpiredSessions(now: Date): Promise<number> {
  const db = await getDb();
  const rows = await db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id });
  return rows.length;
}
