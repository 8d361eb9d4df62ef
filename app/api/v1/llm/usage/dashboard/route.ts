// GET /api/v1/llm/usage/dashboard?from=&to=&group_by=… — the Usage tab's one request: totals vs the previous range, ranking, chart, per provider
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { usageDashboard } from "@/lib/usage/dashboard";
import { parseDashboardQuery } from "@/lib/usage/report-query";

export const GET = apiRoute({ access: "admin", action: "usage.dashboard" }, async ({ req }) => ({ body: await usageDashboard(parseDashboardQuery(req.nextUrl.searchParams)) }));

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
