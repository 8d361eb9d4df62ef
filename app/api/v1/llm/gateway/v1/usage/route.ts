// GET /api/v1/llm/gateway/v1/usage — the calling hub key's own usage this month and its budget (hub key, no session)
import { gatewayMethodNotAllowed, gatewayRoute } from "@/lib/gateway/route";
import { hubKeyPreviewView } from "@/lib/hub-keys/serialize";
import { hubKeyMonthUsage } from "@/lib/usage/report";

export const GET = gatewayRoute("own-usage", async ({ hubKey, requestId }) =>
  Response.json(
    { object: "usage", hub_key: hubKeyPreviewView(hubKey), ...(await hubKeyMonthUsage(hubKey.id, hubKey.monthlyBudgetUsd)) },
    { headers: { "cache-control": "no-store", "x-llmhub-request-id": requestId } },
  ),
);

const notAllowed = gatewayMethodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
