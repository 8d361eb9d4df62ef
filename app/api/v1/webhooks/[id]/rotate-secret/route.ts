// POST /api/v1/webhooks/{id}/rotate-secret — a new signing secret, shown once; the old one stops working
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { rotateWebhookSecret } from "@/lib/webhooks/rotate";
import { toRotatedWebhookView } from "@/lib/webhooks/serialize";

export const POST = apiRoute<{ id: string }, "admin">({ access: "admin", action: "webhook.rotate_secret" }, async ({ user, ctx, params }) => ({
  body: toRotatedWebhookView(await rotateWebhookSecret({ actor: user, request: ctx }, params.id)),
}));

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
