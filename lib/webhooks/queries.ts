import "server-only";
import { getWebhookWithStats, type WebhookWithStats } from "@/lib/db/queries/webhooks";
import { notFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";

/** The webhook with this id, with its delivery figures; an unknown or malformed id is `not_found`. */
export async function findWebhookOr404(id: string): Promise<WebhookWithStats> {
  const row = isUuid(id) ? await getWebhookWithStats(id) : undefined;
  if (!row) throw notFound("Webhook not found");
  return row;
}
