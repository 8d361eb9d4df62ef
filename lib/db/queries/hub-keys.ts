import "server-only";
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { type Db, getDb } from "../client";
import { prepared } from "../prepared";
import { auditEvents, type HubKey, hubKeys, type NewAuditEvent, type NewHubKey, usageKeyMonths } from "../schema";

/**
 * The channel every change to a hub key is announced on (payload: the key's id), in the same
 * transaction as the change, so that each instance drops its cached keys the moment it commits.
 */
export const HUB_KEY_CHANNEL = "llmhub_hub_keys";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

const p = sql.placeholder;
const live = isNull(hubKeys.deletedAt);

async function announce(tx: Tx, id: string, audit: NewAuditEvent): Promise<void> {
  await tx.insert(auditEvents).values(audit);
  await tx.execute(sql`select pg_notify(${HUB_KEY_CHANNEL}, ${id})`);
}

/** Every key that was not deleted, newest first. */
export async function listHubKeys(): Promise<HubKey[]> {
  const db = await getDb();
  return db.select().from(hubKeys).where(live).orderBy(desc(hubKeys.createdAt), hubKeys.id);
}

/** A key's running totals for one month (usage_key_months); zeros when it made no request. */
export interface HubKeyMonth {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export type HubKeyWithMonth = HubKey & { month: HubKeyMonth };

const MONTH_COLS = {
  requests: sql<number>`coalesce(${usageKeyMonths.requests}, 0)::float8`,
  inputTokens: sql<number>`coalesce(${usageKeyMonths.inputTokens}, 0)::float8`,
  outputTokens: sql<number>`coalesce(${usageKeyMonths.outputTokens}, 0)::float8`,
  costUsd: sql<number>`coalesce(${usageKeyMonths.costUsd}, 0)::float8`,
};

/** Like listHubKeys, each key with its totals for `month` (`YYYY-MM-01`): one query, one join. */
export async function listHubKeysWithMonth(month: string): Promise<HubKeyWithMonth[]> {
  const db = await getDb();
  const rows = await db
    .select({ key: hubKeys, ...MONTH_COLS })
    .from(hubKeys)
    .leftJoin(usageKeyMonths, and(eq(usageKeyMonths.hubKeyId, hubKeys.id), eq(usageKeyMonths.month, month)))
    .where(live)
    .orderBy(desc(hubKeys.createdAt), hubKeys.id);
  return rows.map(({ key, ...m }) => ({ ...key, month: monthOf(m) }));
}

/** One live key with its totals for `month`. */
export async function getHubKeyWithMonthById(id: string, month: string): Promise<HubKeyWithMonth | undefined> {
  const db = await getDb();
  const [row] = await db
    .select({ key: hubKeys, ...MONTH_COLS })
    .from(hubKeys)
    .leftJoin(usageKeyMonths, and(eq(usageKeyMonths.hubKeyId, hubKeys.id), eq(usageKeyMonths.month, month)))
    .where(and(eq(hubKeys.id, id), live));
  if (!row) return undefined;
  const { key, ...m } = row;
  return { ...key, month: monthOf(m) };
}

const monthOf = (m: HubKeyMonth): HubKeyMonth => ({ requests: Number(m.requests), inputTokens: Number(m.inputTokens), outputTokens: Number(m.outputTokens), costUsd: Number(m.costUsd) });

export async function getHubKeyById(id: string): Promise<HubKey | undefined> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(hubKeys)
    .where(and(eq(hubKeys.id, id), live));
  return row;
}

/** The gateway's lookup: the row with this hash, deleted or not (the caller decides what counts). */
/** Which of these ids are hub keys that exist (deleted ones included: their usage history stays theirs). */
export async function getExistingHubKeyIds(ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const db = await getDb();
  const rows = await db.select({ id: hubKeys.id }).from(hubKeys).where(inArray(hubKeys.id, ids));
  return new Set(rows.map((r) => r.id));
}

export async function getHubKeyByHash(keyHash: string): Promise<HubKey | undefined> {
  const db = await getDb();
  const stmt = prepared(db, "hub_key_by_hash", (d) => d.select().from(hubKeys).where(eq(hubKeys.keyHash, p("hash"))).limit(1).prepare("hub_key_by_hash"));
  const [row] = await stmt.execute({ hash: keyHash });
  return row;
}

/** Inserts a key and its audit record in one transaction. */
export async function insertHubKey(row: NewHubKey, audit: (row: HubKey) => NewAuditEvent): Promise<HubKey> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [out] = await tx.insert(hubKeys).values(row).returning();
    if (!out) throw new Error("hub key insert returned no row");
    await announce(tx, out.id, audit(out));
    return out;
  });
}

/** Changes a live key (its audit record and the announcement commit with it); undefined when there is none. */
export async function updateHubKey(id: string, set: Partial<NewHubKey>, audit: (row: HubKey) => NewAuditEvent): Promise<HubKey | undefined> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [out] = await tx
      .update(hubKeys)
      .set({ ...set, updatedAt: sql`now()` })
      .where(and(eq(hubKeys.id, id), live))
      .returning();
    if (out) await announce(tx, out.id, audit(out));
    return out;
  });
}

/** Marks a key deleted (it stops working at once; its row stays for usage history). */
export async function softDeleteHubKey(id: string, by: string, audit: (row: HubKey) => NewAuditEvent): Promise<HubKey | undefined> {
  return updateHubKey(id, { deletedAt: sql`now()` as unknown as Date, enabled: false, updatedBy: by }, audit);
}

/** Records use of these keys; a key written in the last minute is skipped (one statement for all). */
export async function touchHubKeysLastUsed(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const db = await getDb();
  await db
    .update(hubKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(and(inArray(hubKeys.id, ids), sql`(${hubKeys.lastUsedAt} is null or ${hubKeys.lastUsedAt} < now() - interval '1 minute')`));
}
