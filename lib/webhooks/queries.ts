import "server-only";
import { getWebhook } from "@/lib/db/queries/webhooks";
import type { Webhook } from "@/lib/db/schema";
import { notFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";

/** The webhook with this id; an unknown or malformed id is `not_found`. */
export async function findWebhookOr404(id: string): Promise<Webhook> {
  const row = isUuid(id) ? await getWebhook(id) : undefined;
  if (!row) throw notFound("Webhook not found");
  return row;
}
