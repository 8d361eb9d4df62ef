// GET /api/v1/llm/usage/timeseries?from=&to=&interval=hour|day&group_by=provider|model|hub_key|provider_key — totals per hour or day
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { usageTimeseries } from "@/lib/usage/report";
import { parseSeriesQuery } from "@/lib/usage/report-query";

export const GET = apiRoute({ access: "admin", action: "usage.timeseries" }, async ({ req }) => ({ body: await usageTimeseries(parseSeriesQuery(req.nextUrl.searchParams)) }));

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
