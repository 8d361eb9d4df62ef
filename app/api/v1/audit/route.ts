// GET /api/v1/audit?actor=&action=&target=&provider=&outcome=&from=&to=&before=&limit= — the audit log, newest first, one page
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { readAuditPage } from "@/lib/audit/read";
import { parseAuditQuery } from "@/lib/audit/schemas";

export const GET = apiRoute({ access: "admin", action: "audit.read" }, async ({ req, user, ctx }) => ({
  body: await readAuditPage({ actor: user, request: ctx }, parseAuditQuery(req.nextUrl.searchParams)),
  headers: { "Cache-Control": "no-store" },
}));

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
