import "server-only";
import { recordAudit } from "@/lib/audit/record";
import type { CallContext } from "@/lib/call-context";
import { getKeyring } from "@/lib/config/secrets";
import { type NewWebhookRow, updateWebhook, type WebhookWithStats } from "@/lib/db/queries/webhooks";
import { notFound } from "@/lib/errors";
import { findWebhookOr404 } from "./queries";
import type { PatchWebhookInput } from "./schemas";
import { checkWebhookUrl, decryptWebhook, urlPreview } from "./secrets";

/** Rename, move, change the kind of, or enable/disable a webhook: only the fields sent change. */
export async function patchWebhook(call: CallContext, id: string, input: PatchWebhookInput): Promise<WebhookWithStats> {
  const before = await findWebhookOr404(id);
  const set: Partial<NewWebhookRow> = { updatedBy: call.actor.email };
  if (input.name !== undefined) set.name = input.name;
  if (input.kind !== undefined) set.kind = input.kind;
  if (input.enabled !== undefined) set.enabled = input.enabled;
  if (input.url !== undefined) {
    const url = await checkWebhookUrl(input.url);
    // both encrypted columns share one keyring entry: re-encrypt the secret along with the new URL
    const { secret } = decryptWebhook(before);
    const keyring = getKeyring();
    const encUrl = keyring.encrypt(url.href);
    Object.assign(set, { encryptedUrl: encUrl.token, urlPreview: urlPreview(url), encryptedSecret: keyring.encrypt(secret).token, encryptionKeyId: encUrl.keyId });
  }
  const row = await updateWebhook(before.id, set);
  if (!row) throw notFound("Webhook not found");
  const changed = Object.keys(input);
  await recordAudit({ action: "webhook.update", outcome: "success", actor: call.actor, target: row.id, statusCode: 200, detail: { name: row.name, changed } }, call.request);
  return findWebhookOr404(row.id);
}
