import "server-only";
import { randomBytes } from "node:crypto";
import { getKeyring } from "@/lib/config/secrets";
import { InvalidToken } from "@/lib/crypto/fernet";
import type { Webhook } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { AppError } from "@/lib/errors";
import { resolveAllowedUrl, UrlPolicyError } from "@/lib/net/url-policy";

/** `https://hooks.slack.com/services/T0…/…9xQz`: enough to recognise, never the secret part. */
export function urlPreview(url: URL): string {
  const path = url.pathname === "/" ? "" : url.pathname;
  const tail = path.length > 12 ? `/…${path.slice(-4)}` : path;
  return `${url.protocol}//${url.host}${tail}`;
}

/**
 * The webhook's URL and signing secret in plain text, for a change that must re-encrypt both (they
 * share one keyring entry). A stored pair the keyring cannot decrypt (its key was dropped from
 * BYOK_ENCRYPTION_KEYS) is `webhook_undecryptable`, a 409: the caller changes nothing.
 */
export function decryptWebhook(hook: Pick<Webhook, "id" | "name" | "encryptedUrl" | "encryptedSecret" | "encryptionKeyId">): { url: string; secret: string } {
  const keyring = getKeyring();
  try {
    return { url: keyring.decrypt(hook.encryptedUrl, hook.encryptionKeyId), secret: keyring.decrypt(hook.encryptedSecret, hook.encryptionKeyId) };
  } catch (err) {
    if (!(err instanceof InvalidToken)) throw err;
    log.error("Webhook: stored URL and secret cannot be decrypted with any configured encryption key", { id: hook.id, key_id: hook.encryptionKeyId });
    throw new AppError(
      "webhook_undecryptable",
      `Webhook ${hook.name}: its stored URL and signing secret cannot be decrypted with the configured encryption keys (was BYOK_ENCRYPTION_KEY changed without keeping the old key in BYOK_ENCRYPTION_KEYS?). Nothing was changed: restore the old key, or delete the webhook and add it again.`,
    );
  }
}

export const newSecret = () => `whsec_${randomBytes(32).toString("base64url")}`;
export const secretPreview = (s: string) => `whsec_…${s.slice(-4)}`;

/** The URL must parse and pass the SSRF policy of custom base URLs (checked again at every send). */
export async function checkWebhookUrl(raw: string): Promise<URL> {
  try {
    return (await resolveAllowedUrl(raw, getEnv().PROVIDER_URL_POLICY)).url;
  } catch (err) {
    if (err instanceof UrlPolicyError) throw new AppError("bad_webhook_url", `url: ${err.reason.replace(/^Base URL/, "Webhook URL")}`);
    throw err;
  }
}
