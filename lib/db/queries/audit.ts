import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { getDb } from "../client";
import { prepared } from "../prepared";
import { columnsAndValues } from "../sql-values";
import { auditEvents, type NewAuditEvent } from "../schema";

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
  const stmt = prepared(db, "insert_audit_event", (d) =>
    d
      .insert(auditEvents)
      .values({
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
      })
      .prepare("insert_audit_event"),
  );
  await stmt.execute({
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
  });
}

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
