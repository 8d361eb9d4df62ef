import "server-only";
import { recordAudit, type AuditAction } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { getEnv } from "@/lib/env";
import { PROVIDERS, type ProviderType } from "@/lib/providers/catalogue";
import { testProviderKey } from "@/lib/providers/test-key";
import type { KeyTestResult } from "@/lib/providers/types";
import { getLimiter, type LimitResult } from "@/lib/rate-limit/limiter";
import type { StoredTestResult } from "@/lib/db/schema";
import type { CallContext } from "./context";

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

/** The one key-testing routine, with this deployment's configuration. */
export function runKeyTest(providerType: ProviderType, apiKey: string | null, baseUrl?: string | null) {
  const env = getEnv();
  return testProviderKey(
    { providerType, apiKey, baseUrl },
    { baseUrlFor, urlPolicy: env.PROVIDER_URL_POLICY, timeoutMs: env.PROVIDER_TIMEOUT_MS },
  );
}

export function storedResult(r: KeyTestResult): StoredTestResult {
  return {
    latency_ms: r.latency_ms,
    models_found: r.models_found,
    error: r.error,
    error_code: r.error_code,
    status_code: r.status_code,
  };
}

/**
 * Spends one unit of the caller's key-test budget (shared by test and save). A refusal is audited
 * and thrown as `rate_limited`; an admitted spend is returned, for the answer's rate-limit headers.
 */
export async function spendKeyTest(call: CallContext, action: AuditAction, providerType: string): Promise<LimitResult> {
  const limit = await getLimiter("key-test").limit(call.actor.id);
  if (!limit.success) {
    await recordAudit({ action, outcome: "denied", actor: call.actor, providerType, statusCode: 429 }, call.request);
    throw new AppError("rate_limited", `Rate limit exceeded. Maximum ${limit.limit} tests per minute.`, { limit });
  }
  return limit;
}
