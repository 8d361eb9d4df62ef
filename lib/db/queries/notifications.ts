import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "../client";
import { rowsOf } from "../rows";

export interface NotificationRow {
  id: number;
  created_at: string;
  kind: string;
  message: string;
  provider_id: string | null;
  provider_type: string;
  provider_name: string;
  health_status: string;
  error_code: string | null;
  trigger: string;
  read: boolean;
}

/** One admin's notifications (alerts with their read marks), newest first, before an id (paging). */
export async function listNotifications(userId: string, opts: { limit: number; beforeId: number | null; unreadOnly: boolean }): Promise<NotificationRow[]> {
  const db = await getDb();
  const rows = await db.execute(sql`
    select a.id, a.created_at, a.kind, a.message, a.provider_key_id as provider_id, a.provider_type, a.provider_name,
      a.health_status, a.error_code, a.trigger, (r.alert_id is not null) as read
    from alerts a left join notification_reads r on r.alert_id = a.id and r.user_id = ${userId}
    where (${opts.beforeId}::bigint is null or a.id < ${opts.beforeId}::bigint)
      and (not ${opts.unreadOnly}::boolean or r.alert_id is null)
    order by a.id desc
    limit ${opts.limit}`);
  return rowsOf<NotificationRow>(rows).map((r) => ({ ...r, id: Number(r.id), created_at: new Date(r.created_at).toISOString(), read: Boolean(r.read) }));
}

export async function countUnread(userId: string): Promise<number> {
  const db = await getDb();
  const rows = await db.execute(sql`
    select count(*)::int as n from alerts a
    where not exists (select 1 from notification_reads r where r.alert_id = a.id and r.user_id = ${userId})`);
  return Number(rowsOf<{ n: number }>(rows)[0]?.n ?? 0);
}

/** Marks the given alerts (or, with ids null, every alert) read for one admin; returns how many changed. */
export async function markRead(userId: string, ids: number[] | null): Promise<number> {
  const db = await getDb();
  const rows = await db.execute(sql`
    insert into notification_reads (user_id, alert_id)
    select ${userId}::uuid, a.id from alerts a
    where ${ids === null ? sql`true` : sql`a.id = any(${`{${ids.join(",")}}`}::bigint[])`}
    on conflict do nothing
    returning alert_id`);
  return rowsOf(rows).length;
}

export async function alertExists(id: number): Promise<boolean> {
  const db = await getDb();
  const rows = await db.execute(sql`select 1 from alerts where id = ${id}`);
  return rowsOf(rows).length > 0;
}

/** Retention: alerts older than the cut-off go, with their read marks (webhook deliveries keep a null link). */
export async function deleteAlertsBefore(cutoff: Date): Promise<number> {
  const db = await getDb();
  const rows = await db.execute(sql`delete from alerts where created_at < ${cutoff.toISOString()} returning id`);
  return rowsOf(rows).length;
}
