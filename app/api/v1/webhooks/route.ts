// GET /api/v1/webhooks — the alert webhooks; POST — add one (its signing secret is shown once)
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { createWebhook, createWebhookSchema, listWebhooksFor } from "@/lib/webhooks/service";

export const GET = apiRoute({ access: "admin", action: "webhook.list" }, async () => ({ body: await listWebhooksFor() }));

export const POST = apiRoute({ access: "admin", action: "webhook.create" }, async ({ user, ctx, body }) =>
  createWebhook({ actor: user, request: ctx }, await body(createWebhookSchema)),
);

const notAllowed = methodNotAllowed("GET, POST");
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
