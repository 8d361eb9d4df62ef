// GET /api/v1/audit/export.csv?actor=&action=&target=&provider=&outcome=&from=&to= — every matching audit record as CSV, streamed
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { csvResponse } from "@/lib/api/csv-response";
import { exportAuditCsv } from "@/lib/audit/read";
import { parseAuditExportQuery } from "@/lib/audit/schemas";

export const GET = apiRoute({ access: "admin", action: "audit.export" }, async ({ req, user, ctx }) => {
  const q = parseAuditExportQuery(req.nextUrl.searchParams);
  return csvResponse(exportAuditCsv({ actor: user, request: ctx }, q), `llmhub-audit-${new Date().toISOString().slice(0, 19).replace(/[-:]/g, "")}Z.csv`);
});

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
