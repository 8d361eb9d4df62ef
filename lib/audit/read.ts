import "server-only";
import type { CallContext } from "@/lib/call-context";
import { csvLine } from "@/lib/csv";
import { type AuditFilter, listAuditEvents, streamAuditEvents } from "@/lib/db/queries/audit";
import { recordAudit } from "./record";
import type { AuditFilterParams, AuditPageQuery } from "./schemas";
import { AUDIT_CSV_COLUMNS, auditCsvCells, toAuditEventView } from "./serialize";

/**
 * Reading the audit log is itself audited: one `audit.read` per page asked for (the UI never polls
 * it), one `audit.export` per download, each with the filters in its detail. A page is read before
 * its own record is written, so it never shows it; a later page cannot either (its ids are older).
 */
export async function readAuditPage(call: CallContext, q: AuditPageQuery) {
  const rows = await listAuditEvents(q.filter, q.before, q.limit + 1);
  const page = rows.slice(0, q.limit);
  const nextBefore = rows.length > q.limit ? (page.at(-1)?.id ?? null) : null;
  await recordAudit(
    { action: "audit.read", outcome: "success", actor: call.actor, statusCode: 200, detail: { filters: q.params, before: q.before ?? null, limit: q.limit, returned: page.length } },
    call.request,
  );
  return { success: true as const, events: page.map(toAuditEventView), next_before: nextBefore };
}

/**
 * Every record the filters match, newest first, as CSV lines read through a cursor. The export's own
 * record is written first (so a download that breaks off is audited all the same, and the export
 * holds it when the filters match it); the header comes with the first batch, so a query that fails
 * still fails the response instead of cutting a 200 short.
 */
export async function* exportAuditCsv(call: CallContext, q: { filter: AuditFilter; params: AuditFilterParams }): AsyncGenerator<string> {
  await recordAudit({ action: "audit.export", outcome: "success", actor: call.actor, statusCode: 200, detail: { filters: q.params } }, call.request);
  const batches = streamAuditEvents(q.filter);
  let header = csvLine(AUDIT_CSV_COLUMNS);
  for await (const batch of batches) {
    yield header + batch.map((e) => csvLine(auditCsvCells(e))).join("");
    header = "";
  }
  if (header) yield header;
}
