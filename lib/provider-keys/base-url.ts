import "server-only";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { resolveAllowedUrl, UrlPolicyError } from "@/lib/net/url-policy";

/** A custom base URL must pass the URL policy (lib/net/url-policy.ts, PROVIDER_URL_POLICY) before it is stored. */
export async function checkCustomBaseUrl(url: string): Promise<void> {
  try {
    await resolveAllowedUrl(url, getEnv().PROVIDER_URL_POLICY);
  } catch (err) {
    if (err instanceof UrlPolicyError) throw new AppError("bad_base_url", `config.base_url: ${err.reason}`);
    throw err;
  }
}
