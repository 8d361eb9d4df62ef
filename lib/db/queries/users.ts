import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import { getDb } from "../client";
import { type NewUser, sessions, type User, users } from "../schema";

export async function getUserByEmail(email: string): Promise<User | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return row;
}

export async function listUsers(): Promise<User[]> {
  const db = await getDb();
  return db.select().from(users).orderBy(asc(users.email));
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

/**
 * Changes a user and, when the change reduces what they may do (role, disabled), ends their
 * sessions in the same transaction so it takes effect on every instance at once.
 */
export async function updateUserByEmail(
  email: string,
  patch: Partial<Pick<User, "role" | "disabled" | "passwordHash">>,
): Promise<User | undefined> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(eq(users.email, email.toLowerCase()))
      .returning();
    if (row && (patch.disabled === true || patch.role !== undefined || patch.passwordHash !== undefined)) {
      await tx.delete(sessions).where(eq(sessions.userId, row.id));
    }
    return row;
  });
}

export async function countAdmins(): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(sql`${users.role} = 'admin' and not ${users.disabled}`);
  return row?.n ?? 0;
}
