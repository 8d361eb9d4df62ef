// GET /api/v1/webhooks — the alert webhooks; POST — add one (its signing secret is shown once)
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { createWebhook } from "@/lib/webhooks/create";
import { listWebhookViews } from "@/lib/webhooks/list";
import { createWebhookSchema } from "@/lib/webhooks/schemas";
import { toCreatedWebhookView } from "@/lib/webhooks/serialize";

export const GET = apiRoute({ access: "admin", action: "webhook.list" }, async () => ({ body: await listWebhookViews() }));

export const POST = apiRoute({ access: "admin", action: "webhook.create" }, async ({ user, ctx, body }) => ({
  status: 201,
  body: toCreatedWebhookView(await createWebhook({ actor: user, request: ctx }, await body(createWebhookSchema))),
}));

const notAllowed = methodNotAllowed("GET, POST");
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
