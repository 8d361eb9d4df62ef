import type { AuditEvent } from "@/lib/db/schema";

/** An audit record as the API and the CSV export show it (every column; none of them holds a secret). */
export function toAuditEventView(e: AuditEvent) {
  return {
    id: e.id,
    at: e.at.toISOString(),
    action: e.action,
    outcome: e.outcome,
    status_code: e.statusCode,
    actor_id: e.actorId,
    actor_email: e.actorEmail,
    target: e.target,
    provider_type: e.providerType,
    key_fingerprint: e.keyFingerprint,
    ip: e.ip,
    user_agent: e.userAgent,
    detail: e.detail,
  };
}
export type AuditEventView = ReturnType<typeof toAuditEventView>;

/** The CSV export's columns, in order: the view's fields, `detail` as JSON text. */
export const AUDIT_CSV_COLUMNS = ["id", "at", "action", "outcome", "status_code", "actor_id", "actor_email", "target", "provider_type", "key_fingerprint", "ip", "user_agent", "detail"] as const;

/** A record's CSV cells, in the order of AUDIT_CSV_COLUMNS. */
export function auditCsvCells(e: AuditEvent): unknown[] {
  const v = toAuditEventView(e);
  return AUDIT_CSV_COLUMNS.map((c) => (c === "detail" ? (v.detail == null ? null : JSON.stringify(v.detail)) : v[c]));
}
