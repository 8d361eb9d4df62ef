import "server-only";
import { and, eq, gt, lt, sql } from "drizzle-orm";
import { getDb } from "../client";
import { prepared } from "../prepared";
import { sessions, users } from "../schema";

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
        userId: users.id,
        email: users.email,
        role: users.role,
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
