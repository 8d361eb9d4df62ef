import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "../client";
import { prepared } from "../prepared";
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
