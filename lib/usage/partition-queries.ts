import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";

// Any fixed number, shared by every instance: partition changes are made by one at a time.
const PARTITION_LOCK_ID = 7_270_312;
const DAY_MS = 24 * 3600 * 1000;

/** `usage_records_p20261201` for the UTC day starting at `day`. */
export const partitionName = (day: Date) => `usage_records_p${day.toISOString().slice(0, 10).replace(/-/g, "")}`;
const lit = (d: Date) => `'${d.toISOString()}'`;

/** The day partitions that exist, with the day each covers (the DEFAULT partition is not listed). */
export async function listUsagePartitions(): Promise<{ name: string; day: Date }[]> {
  const db = await getDb();
  const rows = rowsOf<{ name: string }>(
    await db.execute(sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'usage_records'::regclass and c.relname ~ '^usage_records_p[0-9]{8}$' order by 1`),
  );
  return rows.map((r) => {
    const d = r.name.slice(-8);
    return { name: r.name, day: new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T00:00:00Z`) };
  });
}

/**
 * Creates the partition of one UTC day unless it exists. Rows of that day that went to the DEFAULT
 * partition (written before the day had one) are moved into it in the same transaction, since
 * PostgreSQL refuses a new partition whose range the DEFAULT partition still holds rows for.
 * Returns whether it created one.
 */
export async function createUsagePartition(day: Date): Promise<boolean> {
  const db = await getDb();
  const name = partitionName(day);
  const from = lit(day);
  const to = lit(new Date(day.getTime() + DAY_MS));
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${PARTITION_LOCK_ID})`);
    const exists = rowsOf(await tx.execute(sql`select 1 from pg_class where relname = ${name} and relkind = 'r'`)).length > 0;
    if (exists) return false;
    const stray = rowsOf(await tx.execute(sql.raw(`select 1 from usage_records_default where started_at >= ${from} and started_at < ${to} limit 1`))).length > 0;
    if (!stray) {
      await tx.execute(sql.raw(`create table ${name} partition of usage_records for values from (${from}) to (${to})`));
      return true;
    }
    await tx.execute(sql.raw(`create table ${name} (like usage_records including defaults including constraints)`));
    await tx.execute(sql.raw(`with moved as (delete from usage_records_default where started_at >= ${from} and started_at < ${to} returning *)
      insert into ${name} select * from moved`));
    await tx.execute(sql.raw(`alter table usage_records attach partition ${name} for values from (${from}) to (${to})`));
    return true;
  });
}

/**
 * Retention: drops every day partition that ends at or before `cutoff` (a whole day at a time, no
 * DELETE), and deletes the few rows of such days that sit in the DEFAULT partition. Returns the
 * names dropped.
 */
export async function dropUsagePartitionsBefore(cutoff: Date): Promise<string[]> {
  const db = await getDb();
  const dropped: string[] = [];
  for (const p of await listUsagePartitions()) {
    if (p.day.getTime() + DAY_MS > cutoff.getTime()) continue;
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${PARTITION_LOCK_ID})`);
      await tx.execute(sql.raw(`drop table if exists ${p.name}`));
    });
    dropped.push(p.name);
  }
  await db.execute(sql`delete from usage_records_default where started_at < ${cutoff.toISOString()}::timestamptz`);
  return dropped;
}

/** Rollups (hourly, and daily ones whose whole day is past) older than `cutoff` go; they outlive the records. */
export async function deleteUsageRollupsBefore(cutoff: Date): Promise<number> {
  const db = await getDb();
  const at = cutoff.toISOString();
  const rows = await db.execute(sql`with d as (delete from usage_rollups where hour < ${at}::timestamptz returning 1),
    dd as (delete from usage_rollups_daily where day + interval '1 day' <= ${at}::timestamptz returning 1)
    select count(*)::int as n from d`);
  return Number(rowsOf<{ n: number }>(rows)[0]?.n ?? 0);
}
