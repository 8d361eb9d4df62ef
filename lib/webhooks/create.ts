import "server-only";
import { recordAudit } from "@/lib/audit/record";
import type { CallContext } from "@/lib/call-context";
import { getKeyring } from "@/lib/config/secrets";
import { insertWebhook, type WebhookWithStats } from "@/lib/db/queries/webhooks";
import { log } from "@/lib/log";
import type { CreateWebhookInput } from "./schemas";
import { checkWebhookUrl, newSecret, secretPreview, urlPreview } from "./secrets";

/** Creates a webhook with a new signing secret (the caller shows it once; only its preview is kept readable). */
export async function createWebhook(call: CallContext, input: CreateWebhookInput): Promise<{ webhook: WebhookWithStats; secret: string }> {
  const url = await checkWebhookUrl(input.url);
  const secret = newSecret();
  const keyring = getKeyring();
  const enc = keyring.encrypt(secret);
  const encUrl = keyring.encrypt(url.href);
  const webhook = await insertWebhook({
    name: input.name,
    kind: input.kind,
    encryptedUrl: encUrl.token,
    urlPreview: urlPreview(url),
    encryptedSecret: enc.token,
    encryptionKeyId: enc.keyId,
    secretPreview: secretPreview(secret),
    enabled: input.enabled,
    updatedBy: call.actor.email,
  });
  await recordAudit({ action: "webhook.create", outcome: "success", actor: call.actor, target: webhook.id, statusCode: 201, detail: { name: webhook.name, kind: webhook.kind, url: webhook.urlPreview } }, call.request);
  log.info(`Admin ${call.actor.email} added webhook: ${webhook.name} (${webhook.kind})`);
  return { webhook, secret };
}
