import "server-only";
import { getDb } from "../client";
import { auditEvents, type NewAuditEvent } from "../schema";

export async function insertAuditEvent(event: NewAuditEvent): Promise<void> {
  const db = await getDb();
  await db.insert(auditEvents).values(event);
}
