import "server-only";
import { getEnv } from "@/lib/env";
import { PROVIDERS, type ProviderType } from "@/lib/providers/catalogue";
import { testProviderKey } from "@/lib/providers/probe";
import type { KeyTestResult } from "@/lib/providers/types";
import type { StoredTestResult } from "@/lib/db/schema";

const BASE_URL_VARS = {
  openrouter: "PROVIDER_BASE_URL_OPENROUTER",
  openai: "PROVIDER_BASE_URL_OPENAI",
  anthropic: "PROVIDER_BASE_URL_ANTHROPIC",
  google: "PROVIDER_BASE_URL_GOOGLE",
  cohere: "PROVIDER_BASE_URL_COHERE",
  groq: "PROVIDER_BASE_URL_GROQ",
  together: "PROVIDER_BASE_URL_TOGETHER",
  mistral: "PROVIDER_BASE_URL_MISTRAL",
} as const;

/** A built-in provider's base URL: the configured override, else the provider's own. */
export function baseUrlFor(type: ProviderType): string | null {
  if (type === "custom") return null;
  return getEnv()[BASE_URL_VARS[type]] ?? PROVIDERS[type].defaultBaseUrl;
}

/** Runs one key check: the one key-testing routine (lib/providers/probe.ts) with this deployment's configuration. */
export function runKeyTest(providerType: ProviderType, apiKey: string | null, baseUrl?: string | null) {
  const env = getEnv();
  return testProviderKey(
    { providerType, apiKey, baseUrl },
    { baseUrlFor, urlPolicy: env.PROVIDER_URL_POLICY, timeoutMs: env.PROVIDER_TIMEOUT_MS },
  );
}

/** What a row keeps of a check's result. */
export function storedResult(r: KeyTestResult): StoredTestResult {
  return {
    latency_ms: r.latency_ms,
    models_found: r.models_found,
    error: r.error,
    error_code: r.error_code,
    status_code: r.status_code,
    ...(r.credits !== undefined ? { credits: r.credits } : {}),
  };
}
