import "server-only";
import { randomBytes } from "node:crypto";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { resolveAllowedUrl, UrlPolicyError } from "@/lib/net/url-policy";

/** `https://hooks.slack.com/services/T0…/…9xQz`: enough to recognise, never the secret part. */
export function urlPreview(url: URL): string {
  const path = url.pathname === "/" ? "" : url.pathname;
  const tail = path.length > 12 ? `/…${path.slice(-4)}` : path;
  return `${url.protocol}//${url.host}${tail}`;
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
