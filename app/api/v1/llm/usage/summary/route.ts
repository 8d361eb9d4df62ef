// GET /api/v1/llm/usage/summary?from=&to=&group_by=provider|model|hub_key|provider_key&provider_key= — totals per group, most requests first
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { usageSummary } from "@/lib/usage/report";
import { parseSummaryQuery } from "@/lib/usage/report-query";

export const GET = apiRoute({ access: "admin", action: "usage.summary" }, async ({ req }) => ({ body: await usageSummary(parseSummaryQuery(req.nextUrl.searchParams)) }));

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
