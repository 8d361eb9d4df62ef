import "server-only";
import { and, eq, inArray, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import { getDb } from "../client";
import { rowsOf } from "../rows";
import { type ProviderKey, providerKeys, schedulerLeases } from "../schema";

/**
 * Takes or renews the named lease for `ttlMs` from `now`: succeeds when nobody holds it, it has
 * expired, or `holder` already holds it. Returns the epoch (new on every change of holder), or null.
 */
export async function acquireLease(name: string, holder: string, now: Date, ttlMs: number): Promise<number | null> {
  const db = await getDb();
  const expires = new Date(now.getTime() + ttlMs);
  const result = await db.execute(sql`
    insert into scheduler_leases (name, holder, epoch, expires_at) values (${name}, ${holder}, 1, ${expires.toISOString()})
    on conflict (name) do update set
      epoch = scheduler_leases.epoch + (case when scheduler_leases.holder = excluded.holder then 0 else 1 end),
      holder = excluded.holder,
      expires_at = excluded.expires_at
    where scheduler_leases.holder = excluded.holder or scheduler_leases.expires_at < ${now.toISOString()}
    returning epoch`);
  const [row] = rowsOf<{ epoch: string | number }>(result);
  return row ? Number(row.epoch) : null;
}

export async function releaseLease(name: string, holder: string): Promise<void> {
  const db = await getDb();
  await db.update(schedulerLeases).set({ expiresAt: new Date(0) }).where(and(eq(schedulerLeases.name, name), eq(schedulerLeases.holder, holder)));
}

export interface Fence {
  name: string;
  holder: string;
  epoch: number;
  now: Date;
}

/** SQL true only while the lease named in the fence is still held by its holder at its epoch. */
export const fenced = (f: Fence) =>
  sql`exists (select 1 from scheduler_leases where name = ${f.name} and holder = ${f.holder} and epoch = ${f.epoch} and expires_at > ${f.now.toISOString()})`;

/**
 * Keys never scheduled get their first check at a random point of `range` from now (the scheduler's
 * jittered interval): a new key was just tested by its save, and a fresh start should not check
 * every key at once.
 */
export async function scheduleUnscheduledKeys(now: Date, range: { minMs: number; maxMs: number }, f: Fence): Promise<void> {
  const db = await getDb();
  await db
    .update(providerKeys)
    .set({ nextCheckAt: sql`${now.toISOString()}::timestamptz + (${range.minMs} + ${range.maxMs - range.minMs} * random()) * interval '1 millisecond'` })
    .where(and(isNull(providerKeys.nextCheckAt), fenced(f)));
}

/** Enabled rows whose next check is due, oldest first. */
export async function listDueKeys(now: Date, limit: number): Promise<ProviderKey[]> {
  const db = await getDb();
  return db
    .select()
    .from(providerKeys)
    .where(and(eq(providerKeys.enabled, true), lte(providerKeys.nextCheckAt, now)))
    .orderBy(providerKeys.nextCheckAt)
    .limit(limit);
}

/** Moves a key's next check (claiming it, or skipping a row that has nothing to check), under the fence. */
export async function setNextCheck(id: string, at: Date, f: Fence): Promise<boolean> {
  const db = await getDb();
  const rows = await db.update(providerKeys).set({ nextCheckAt: at }).where(and(eq(providerKeys.id, id), fenced(f))).returning({ id: providerKeys.id });
  return rows.length === 1;
}

/**
 * "Check all now": every enabled row with something to check becomes due: a stored key, or no
 * stored key but an environment key for its type (`envKeyTypes`). Returns how many.
 */
export async function makeAllKeysDue(now: Date, envKeyTypes: readonly string[]): Promise<number> {
  const db = await getDb();
  const hasKey = envKeyTypes.length ? or(isNotNull(providerKeys.encryptedKey), inArray(providerKeys.providerType, [...envKeyTypes])) : isNotNull(providerKeys.encryptedKey);
  const rows = await db
    .update(providerKeys)
    .set({ nextCheckAt: now, checkBackoff: 0 })
    .where(and(eq(providerKeys.enabled, true), hasKey))
    .returning({ id: providerKeys.id });
  return rows.length;
}
