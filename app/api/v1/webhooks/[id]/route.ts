// PATCH /api/v1/webhooks/{id} — rename, change URL or kind, enable/disable; DELETE — remove it
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { removeWebhook } from "@/lib/webhooks/delete";
import { patchWebhookSchema } from "@/lib/webhooks/schemas";
import { toRemovedWebhookView, toUpdatedWebhookView } from "@/lib/webhooks/serialize";
import { patchWebhook } from "@/lib/webhooks/update";

type Params = { id: string };

export const PATCH = apiRoute<Params, "admin">({ access: "admin", action: "webhook.update" }, async ({ user, ctx, params, body }) => ({
  body: toUpdatedWebhookView(await patchWebhook({ actor: user, request: ctx }, params.id, await body(patchWebhookSchema))),
}));

export const DELETE = apiRoute<Params, "admin">({ access: "admin", action: "webhook.delete" }, async ({ user, ctx, params }) => ({
  body: toRemovedWebhookView(await removeWebhook({ actor: user, request: ctx }, params.id)),
}));

const notAllowed = methodNotAllowed("PATCH, DELETE");
export const GET = notAllowed;
export const POST = notAllowed;
export const PUT = notAllowed;
