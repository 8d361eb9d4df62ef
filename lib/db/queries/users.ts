import "server-only";
import { and, asc, eq, gt, ne, sql } from "drizzle-orm";
import { type Db, getDb } from "../client";
import { auditEvents, type NewAuditEvent, type NewUser, sessions, type User, users } from "../schema";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export async function getUserByEmail(email: string): Promise<User | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return row;
}

export async function getUserById(id: string): Promise<User | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

export async function listUsers(): Promise<User[]> {
  const db = await getDb();
  return db.select().from(users).orderBy(asc(users.email));
}

export type UserWithSessions = User & { liveSessions: number; lastSeenAt: Date | null };

/** Every user with how many live sessions they have and when one was last used: one query. */
export async function listUsersWithSessions(): Promise<UserWithSessions[]> {
  const db = await getDb();
  const rows = await db
    .select({
      user: users,
      liveSessions: sql<number>`count(${sessions.id})::int`,
      lastSeenAt: sql<string | null>`max(${sessions.lastSeenAt})`,
    })
    .from(users)
    .leftJoin(sessions, and(eq(sessions.userId, users.id), gt(sessions.expiresAt, sql`now()`)))
    .groupBy(users.id)
    .orderBy(asc(users.email));
  return rows.map((r) => ({ ...r.user, liveSessions: Number(r.liveSessions), lastSeenAt: r.lastSeenAt === null ? null : new Date(r.lastSeenAt) }));
}

/** Inserts a user unless the email exists; returns the new row or undefined. */
export async function insertUserIfMissing(user: NewUser): Promise<User | undefined> {
  const db = await getDb();
  const [row] = await db
    .insert(users)
    .values({ ...user, email: user.email.toLowerCase() })
    .onConflictDoNothing({ target: users.email })
    .returning();
  return row;
}

/** Like insertUserIfMissing, with its audit record in the same transaction. */
export async function insertUserWithAudit(user: NewUser, audit: (row: User) => NewAuditEvent): Promise<User | undefined> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({ ...user, email: user.email.toLowerCase() })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (row) await tx.insert(auditEvents).values(audit(row));
    return row;
  });
}

export type UserChange =
  | { kind: "update"; set: Partial<Pick<User, "role" | "disabled" | "passwordHash" | "mustChangePassword">> }
  | { kind: "delete" };

export interface ChangeOptions {
  /** End the user's sessions in the same transaction (all of them, or all but this one). */
  endSessions: "all" | { except: string } | "none";
  audit: (before: User, after: User | null) => NewAuditEvent;
}

/**
 * Changes or deletes a user, ends their sessions and writes the audit record, in one transaction.
 * A change that would leave no enabled admin (demote, disable, delete the last one) is refused with
 * "last_admin": every enabled admin's row is locked first, in id order, so two admins demoting
 * each other at once cannot both pass the check (the second re-reads the set after the first commits).
 */
export async function changeUser(id: string, change: UserChange, opts: ChangeOptions): Promise<User | "not_found" | "last_admin"> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const reduces = change.kind === "delete" || change.set.role === "viewer" || change.set.disabled === true;
    const admins = reduces ? await lockEnabledAdmins(tx) : [];
    const [before] = await tx.select().from(users).where(eq(users.id, id)).for("update");
    if (!before) return "not_found";
    if (reduces && admins.includes(id) && admins.length === 1) return "last_admin";
    let after: User | null = null;
    if (change.kind === "delete") {
      await tx.delete(users).where(eq(users.id, id)); // its sessions go with it (on delete cascade)
    } else {
      const [row] = await tx
        .update(users)
        .set({ ...change.set, updatedAt: sql`now()` })
        .where(eq(users.id, id))
        .returning();
      after = row ?? null;
      if (opts.endSessions === "all") await tx.delete(sessions).where(eq(sessions.userId, id));
      else if (opts.endSessions !== "none") await tx.delete(sessions).where(and(eq(sessions.userId, id), ne(sessions.id, opts.endSessions.except)));
    }
    await tx.insert(auditEvents).values(opts.audit(before, after ?? null));
    return after ?? before;
  });
}

async function lockEnabledAdmins(tx: Tx): Promise<string[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.disabled, false)))
    .orderBy(asc(users.id))
    .for("update");
  return rows.map((r) => r.id);
}

export async function countAdmins(): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(sql`${users.role} = 'admin' and not ${users.disabled}`);
  return row?.n ?? 0;
}
