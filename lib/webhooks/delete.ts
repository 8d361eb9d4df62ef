import "server-only";
import { recordAudit } from "@/lib/audit/record";
import type { CallContext } from "@/lib/call-context";
import { deleteWebhook } from "@/lib/db/queries/webhooks";
import type { Webhook } from "@/lib/db/schema";
import { notFound } from "@/lib/errors";
import { log } from "@/lib/log";
import { findWebhookOr404 } from "./queries";

/** Removes a webhook with its deliveries; returns the removed row. */
export async function removeWebhook(call: CallContext, id: string): Promise<Webhook> {
  const row = await deleteWebhook((await findWebhookOr404(id)).id);
  if (!row) throw notFound("Webhook not found");
  await recordAudit({ action: "webhook.delete", outcome: "success", actor: call.actor, target: row.id, statusCode: 200, detail: { name: row.name } }, call.request);
  log.info(`Admin ${call.actor.email} removed webhook: ${row.name}`);
  return row;
}
