// POST /api/v1/webhooks/{id}/test — send a signed test notification and report its first attempt
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { apiRoute } from "@/lib/api/handler";
import { rateLimitHeaders } from "@/lib/api/rate-limit-headers";
import { toTestedWebhookView } from "@/lib/webhooks/serialize";
import { sendTestNotification } from "@/lib/webhooks/test";

export const POST = apiRoute<{ id: string }, "admin">({ access: "admin", action: "webhook.test" }, async ({ user, ctx, params }) => {
  const sent = await sendTestNotification({ actor: user, request: ctx }, params.id);
  return { headers: rateLimitHeaders(sent.limit), body: toTestedWebhookView(sent) };
});

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
