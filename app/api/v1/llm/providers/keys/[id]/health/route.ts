// GET /api/v1/llm/providers/keys/{id}/health?since=... — a key's health history, uptime and latency percentiles
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { parseWith } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/handler";
import { getKeyHealth, healthQuerySchema } from "@/lib/key-health/history";

export const GET = apiRoute<{ id: string }, "admin">({ access: "admin", action: "provider_key.health" }, async ({ req, params }) => {
  const { since } = parseWith(healthQuerySchema, { since: req.nextUrl.searchParams.get("since") ?? undefined });
  return { body: await getKeyHealth(params.id, since) };
});

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
