import { isProviderType, PROVIDERS, type ProviderInfo } from "@/lib/providers/catalogue";
import type { KeyTestErrorCode } from "@/lib/providers/types";
import type { ProviderRow } from "./queries";

/** The catalogue entry of a row (custom endpoints and unknown types fall back to "custom"). */
export function providerOf(row: Pick<ProviderRow, "provider_type">): ProviderInfo {
  return PROVIDERS[isProviderType(row.provider_type) ? row.provider_type : "custom"];
}

/** What to do about each way a key test can fail: the sentence after the error itself. */
const ADVICE: Record<KeyTestErrorCode, (p: ProviderInfo) => string> = {
  invalid_key: (p) =>
    `Check that the whole key was copied, or create a new key${p.docsUrl ? ` at ${p.displayName}` : ""} and replace this one.`,
  forbidden: () => "The key is valid but not allowed to list models: give it that permission, or use an unrestricted key.",
  no_credits: (p) => `Add credit or raise the spend limit in your ${p.displayName} billing settings, then test again.`,
  rate_limited: () => "Nothing to change: test again once the provider's limit has passed.",
  provider_error: () => "The provider is having problems on its side. Test again later.",
  timeout: () => "The provider did not answer in time. Test again; if it keeps happening, check the network or the base URL.",
  unreachable: () => "Check the base URL, and that this server can reach it (DNS, firewall, proxy).",
  bad_base_url: () => "Correct the base URL with Edit, then test again.",
  not_configured: () => "Add a key first.",
};

export function adviceFor(code: string | null, provider: ProviderInfo): string | null {
  return code && code in ADVICE ? ADVICE[code as KeyTestErrorCode](provider) : null;
}

/** "346 models, answered in 212 ms" — only what was measured. */
export function successSummary(r: { latency_ms: number | null; models_found: number | null }): string {
  const parts: string[] = [];
  if (r.models_found !== null) parts.push(`${r.models_found} model${r.models_found === 1 ? "" : "s"} available`);
  if (r.latency_ms !== null) parts.push(`answered in ${r.latency_ms} ms`);
  return parts.join(", ");
}
