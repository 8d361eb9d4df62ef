// GET /api/v1/webhooks/{id}/deliveries?limit= — recent deliveries with every attempt
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { parseWith } from "@/lib/api/body";
import { apiRoute } from "@/lib/api/handler";
import { listWebhookDeliveries } from "@/lib/webhooks/list";
import { deliveriesQuerySchema } from "@/lib/webhooks/schemas";

export const GET = apiRoute<{ id: string }, "admin">({ access: "admin", action: "webhook.deliveries" }, async ({ req, params }) => {
  const { limit } = parseWith(deliveriesQuerySchema, { limit: req.nextUrl.searchParams.get("limit") ?? undefined });
  return { body: await listWebhookDeliveries(params.id, limit) };
});

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
