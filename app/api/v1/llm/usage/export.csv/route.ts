// GET /api/v1/llm/usage/export.csv?from=&to=&group_by=…&provider_key= — the summary as CSV, streamed
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { csvResponse } from "@/lib/api/csv-response";
import { usageCsv } from "@/lib/usage/report";
import { parseSummaryQuery } from "@/lib/usage/report-query";

export const GET = apiRoute({ access: "admin", action: "usage.export" }, async ({ req }) => {
  const q = parseSummaryQuery(req.nextUrl.searchParams);
  return csvResponse(usageCsv(q), `llmhub-usage-${q.groupBy}-${q.from.toISOString().slice(0, 10)}-${q.to.toISOString().slice(0, 10)}.csv`);
});

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
