// GET /api/v1/llm/providers/health/overview?window=24h|7d — every key's checks per hour (or 6 hours), uptime and last failure
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { parseWith } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/handler";
import { getHealthOverview, overviewQuerySchema } from "@/lib/key-health/overview";

export const GET = apiRoute({ access: "admin", action: "provider_key.health" }, async ({ req }) => {
  const { window } = parseWith(overviewQuerySchema, { window: req.nextUrl.searchParams.get("window") ?? undefined });
  return { body: await getHealthOverview(window) };
});

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
