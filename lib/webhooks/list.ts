import "server-only";
import { listDeliveries, listWebhooks } from "@/lib/db/queries/webhooks";
import { findWebhookOr404 } from "./queries";
import { toDeliveryView, toWebhookView } from "./serialize";

/** Every webhook with its last delivery and its pending and failed counts, as GET /api/v1/webhooks answers. */
export async function listWebhookViews() {
  return { webhooks: (await listWebhooks()).map(toWebhookView) };
}

/** A webhook's most recent deliveries (newest first), each with every attempt. */
export async function listWebhookDeliveries(id: string, limit: number) {
  const hook = await findWebhookOr404(id);
  return { webhook: toWebhookView(hook), deliveries: (await listDeliveries(hook.id, limit)).map(toDeliveryView) };
}
