import "server-only";
import { and, desc, eq, gte, like, lt, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { getDb } from "../client";
import { cursorRows } from "../cursor";
import { prepared } from "../prepared";
import { columnsAndValues } from "../sql-values";
import { type AuditEvent, auditEvents, type NewAuditEvent } from "../schema";

const p = sql.placeholder;

/**
 * Every audited request writes one row, so the statement is prepared once per database handle
 * (building it costs more than running it). `detail` goes in already serialised: a placeholder in
 * a jsonb column would turn null into the JSON value `null` instead of SQL NULL.
 */
export async function insertAuditEvent(event: NewAuditEvent): Promise<void> {
  const db = await getDb();
  if (event.at !== undefined) {
    await db.insert(auditEvents).values(event);
    return;
  }
  const stmt = prepared(db, "insert_audit_event", (d) => d.insert(auditEvents).values(auditPlaceholders()).prepare("insert_audit_event"));
  await stmt.execute(auditValues(event));
}

/** The record's values for the placeholders of insertAuditEvent's statement and of auditInsertPrepared. */
export function auditValues(event: NewAuditEvent): Record<AuditField, unknown> {
  return {
    actorId: event.actorId ?? null,
    actorEmail: event.actorEmail ?? null,
    action: event.action,
    target: event.target ?? null,
    providerType: event.providerType ?? null,
    outcome: event.outcome,
    statusCode: event.statusCode ?? null,
    ip: event.ip ?? null,
    userAgent: event.userAgent ?? null,
    keyFingerprint: event.keyFingerprint ?? null,
    detail: event.detail == null ? null : JSON.stringify(event.detail),
  };
}

type AuditField = Exclude<keyof NewAuditEvent, "id" | "at">;

/**
 * The audit record as an `insert ... select`, for a statement that writes it in the same round trip
 * (and commit) as the change it records. With `from` (a CTE's name), one record per row of it:
 * `fields` take their values from that row (e.g. the id of the row a statement just removed), and
 * `detail` (a jsonb expression over it) is merged into the event's own detail.
 */
export function auditInsertSql(
  event: NewAuditEvent,
  from?: { source: SQL; fields?: Partial<Record<keyof NewAuditEvent, SQL>>; detail?: SQL },
): SQL {
  const detail = from?.detail && sql`${JSON.stringify(event.detail ?? {})}::jsonb || ${from.detail}`;
  const { columns, values } = columnsAndValues(auditEvents, { ...event, ...from?.fields, ...(detail ? { detail } : {}) });
  return sql`insert into audit_events (${columns}) select ${values}${from ? sql` from ${from.source}` : sql``}`;
}

/** A placeholder per field of the record, named as auditValues names them (detail: text cast to jsonb, see preparedSql). */
function auditPlaceholders() {
  return {
    actorId: p("actorId"),
    actorEmail: p("actorEmail"),
    action: p("action"),
    target: p("target"),
    providerType: p("providerType"),
    outcome: p("outcome"),
    statusCode: p("statusCode"),
    ip: p("ip"),
    userAgent: p("userAgent"),
    keyFingerprint: p("keyFingerprint"),
    detail: sql`${p("detail")}::jsonb`,
  };
}

/**
 * auditInsertSql for a statement built once (preparedSql): every value of the record is a
 * placeholder, filled in per call with auditValues(event); `fields` and `detail` as there.
 */
export function auditInsertPrepared(from: { source: SQL; fields?: Partial<Record<AuditField, SQL>>; detail?: SQL }): SQL {
  const detail = from.detail && sql`coalesce(${p("detail")}::jsonb, '{}'::jsonb) || ${from.detail}`;
  const { columns, values } = columnsAndValues(auditEvents, { ...auditPlaceholders(), ...from.fields, ...(detail ? { detail } : {}) });
  return sql`insert into audit_events (${columns}) select ${values} from ${from.source}`;
}

/** What the audit log can be filtered by; a `prefix` value matches every record that starts with it. */
export interface AuditFilter {
  actor?: { value: string; prefix: boolean };
  action?: { value: string; prefix: boolean };
  target?: { value: string; prefix: boolean };
  providerType?: string;
  outcome?: AuditEvent["outcome"];
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const textMatch = (col: AnyPgColumn, m: { value: string; prefix: boolean } | undefined) => (m === undefined ? undefined : m.prefix ? like(col, likePrefix(m.value)) : eq(col, m.value));

function auditWhere(f: AuditFilter, beforeId?: number): SQL | undefined {
  return and(
    textMatch(auditEvents.actorEmail, f.actor),
    textMatch(auditEvents.action, f.action),
    textMatch(auditEvents.target, f.target),
    f.providerType === undefined ? undefined : eq(auditEvents.providerType, f.providerType),
    f.outcome === undefined ? undefined : eq(auditEvents.outcome, f.outcome),
    f.from === undefined ? undefined : gte(auditEvents.at, f.from),
    f.to === undefined ? undefined : lt(auditEvents.at, f.to),
    beforeId === undefined ? undefined : lt(auditEvents.id, beforeId),
  );
}

/** One page of the audit log, newest first (by id, which only grows): the records older than `beforeId`. */
export async function listAuditEvents(f: AuditFilter, beforeId: number | undefined, limit: number): Promise<AuditEvent[]> {
  const db = await getDb();
  return db.select().from(auditEvents).where(auditWhere(f, beforeId)).orderBy(desc(auditEvents.id)).limit(limit);
}

/** The raw row of a cursor as an AuditEvent (postgres.js gives bigint as a string, PGlite as a number). */
function auditEventOfRow(r: Record<string, unknown>): AuditEvent {
  return {
    id: Number(r.id),
    at: r.at instanceof Date ? r.at : new Date(String(r.at)),
    actorId: (r.actor_id as string | null) ?? null,
    actorEmail: (r.actor_email as string | null) ?? null,
    action: r.action as string,
    target: (r.target as string | null) ?? null,
    providerType: (r.provider_type as string | null) ?? null,
    outcome: r.outcome as AuditEvent["outcome"],
    statusCode: r.status_code == null ? null : Number(r.status_code),
    ip: (r.ip as string | null) ?? null,
    userAgent: (r.user_agent as string | null) ?? null,
    keyFingerprint: (r.key_fingerprint as string | null) ?? null,
    detail: typeof r.detail === "string" ? (JSON.parse(r.detail) as Record<string, unknown>) : ((r.detail as Record<string, unknown> | null) ?? null),
  };
}

/**
 * Every matching record, newest first, in batches read through a cursor (for the CSV export). The
 * records are those that existed when the query started; later ones are not included.
 */
export async function* streamAuditEvents(f: AuditFilter, batch = 1000): AsyncGenerator<AuditEvent[]> {
  const db = await getDb();
  const query = db.select().from(auditEvents).where(auditWhere(f)).orderBy(desc(auditEvents.id));
  for await (const rows of cursorRows(query, batch)) yield rows.map(auditEventOfRow);
}
