import "server-only";
import { recordAudit } from "@/lib/audit/record";
import type { CallContext } from "@/lib/call-context";
import { getKeyring } from "@/lib/config/secrets";
import { updateWebhook, type WebhookWithStats } from "@/lib/db/queries/webhooks";
import { notFound } from "@/lib/errors";
import { findWebhookOr404 } from "./queries";
import { decryptWebhook, newSecret, secretPreview } from "./secrets";

/** A new signing secret (the caller shows it once); the old one stops working at once. */
export async function rotateWebhookSecret(call: CallContext, id: string): Promise<{ webhook: WebhookWithStats; secret: string }> {
  const before = await findWebhookOr404(id);
  const { url } = decryptWebhook(before);
  const keyring = getKeyring();
  const secret = newSecret();
  const enc = keyring.encrypt(secret);
  const updated = await updateWebhook(before.id, { encryptedSecret: enc.token, encryptedUrl: keyring.encrypt(url).token, encryptionKeyId: enc.keyId, secretPreview: secretPreview(secret), updatedBy: call.actor.email });
  if (!updated) throw notFound("Webhook not found");
  const webhook = { ...before, ...updated };
  await recordAudit({ action: "webhook.rotate_secret", outcome: "success", actor: call.actor, target: webhook.id, statusCode: 200, detail: { name: webhook.name } }, call.request);
  return { webhook, secret };
}
