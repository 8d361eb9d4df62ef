import "server-only";
import { configChanged } from "@/lib/config-version/version";
import { auditEventOf, recordAudit } from "@/lib/audit/record";
import { getKeyring } from "@/lib/config/secrets";
import {
  getProviderKeyBySlug,
  upsertProviderKeyBySlug,
} from "@/lib/db/queries/provider-keys";
import { AppError, badRequest } from "@/lib/errors";
import { creditQuietState } from "@/lib/alerts/credit";
import { creditLevelOfResult, historyOf, recordKeyCheck } from "@/lib/key-checks/record";
import { log } from "@/lib/log";
import type { ProviderKey } from "@/lib/db/schema";
import type { KeyTestResult } from "@/lib/providers/types";
import type { LimitResult } from "@/lib/rate-limit/limiter";
import { PROVIDERS, type ProviderType } from "@/lib/providers/catalogue";
import { slugFor } from "./rows";
import { checkCustomBaseUrl } from "./base-url";
import { formatWarnings } from "@/lib/providers/format-hints";
import type { CallContext } from "@/lib/call-context";
import { healthOf } from "@/lib/providers/health-status";
import { spendKeyTest } from "@/lib/key-checks/budget";
import { runKeyTest, storedResult } from "@/lib/key-checks/run";
import { sealKey } from "./seal";
import { ignoredFieldsWarning } from "@/lib/schemas/contract-body";
import type { SaveKeyInput } from "./schemas";

/** What a save did: a new row or a replaced key, the stored row, its test, and the budget it spent. */
export interface SavedKey {
  created: boolean;
  providerType: ProviderType;
  /** The stored row's id, name, enabled flag and key preview. */
  row: Pick<ProviderKey, "id" | "name" | "enabled" | "keyPreview">;
  testResult: KeyTestResult;
  warnings: string[];
  limit: LimitResult;
}

/**
 * Add or replace a key (docs/api.md, "POST /api/v1/llm/providers/keys"): test it against the
 * provider (spending the caller's test budget), encrypt it, and upsert the row with its preview,
 * fingerprint and test result.
 */
export async function saveProviderKey(call: CallContext, input: SaveKeyInput): Promise<SavedKey> {
  const type = input.provider_type;
  const name = input.name ?? PROVIDERS[type].displayName;
  const slug = slugFor(type, name);
  let baseUrl: string | null = null;
  if (type === "custom") {
    baseUrl = input.config?.base_url ?? (await getProviderKeyBySlug(slug))?.config.base_url ?? null;
    if (!baseUrl) throw badRequest("config.base_url: field required for a custom endpoint");
    await checkCustomBaseUrl(baseUrl); // before spending the caller's test budget
  } else if (input.config?.base_url) {
    throw badRequest(`config.base_url: only custom endpoints take a base URL (set PROVIDER_BASE_URL_${type.toUpperCase()} to point ${PROVIDERS[type].displayName} elsewhere)`);
  }

  const key = input.api_key;
  const limit = await spendKeyTest(call, "provider_key.create", type);
  const result = await runKeyTest(type, key, baseUrl);
  const keyring = getKeyring();
  const fingerprint = keyring.fingerprint(key);
  const auditBase = { actor: call.actor, target: name, providerType: type, keyFingerprint: fingerprint };

  if (result.error_code === "bad_base_url") {
    await recordAudit({ ...auditBase, action: "provider_key.create", outcome: "failure", statusCode: 400, detail: { error_code: "bad_base_url" } }, call.request);
    throw new AppError("bad_base_url", `config.base_url: ${result.error ?? "refused by the URL policy"}`);
  }
  if (input.require_valid && !result.success) {
    await recordAudit({ ...auditBase, action: "provider_key.create", outcome: "failure", statusCode: 400, detail: { error_code: result.error_code, require_valid: true } }, call.request);
    throw new AppError("key_test_failed", `API key was not saved because its test failed: ${result.error}`);
  }

  const tested = {
    healthStatus: healthOf(result),
    testStatus: result.success ? ("success" as const) : ("failed" as const),
    lastTested: new Date(result.tested_at),
    lastTest: storedResult(result),
  };
  const secret = sealKey(key);
  const config = baseUrl ? { base_url: baseUrl } : {};
  // the audit record is written by the upsert's own statement: a stored key is never left unaudited
  const saved = (action: "provider_key.create" | "provider_key.update", statusCode: number) =>
    auditEventOf({ ...auditBase, action, outcome: "success", statusCode, detail: { test: result.error_code ?? "success" } }, call.request);
  const { row, created, checked, duplicates } = await upsertProviderKeyBySlug(
    { slug, providerType: type, name, config, updatedBy: call.actor.email, ...secret, ...tested },
    { ...secret, ...tested, config, updatedBy: call.actor.email, ...(input.name ? { name } : {}) },
    {
      audit: { created: saved("provider_key.create", 201), updated: saved("provider_key.update", 200) },
      history: historyOf(result, "save"),
      creditQuiet: creditQuietState(creditLevelOfResult(result)),
      duplicatesOf: fingerprint,
    },
  );
  await configChanged();
  // a result that may change what admins were told (an alert, a recovery) takes the locked path
  if (!checked) await recordKeyCheck({ id: row.id, fingerprint, trigger: "save", result });
  const warnings = [...formatWarnings(type, key), ...ignoredFieldsWarning(input.ignoredFields)];
  if (duplicates.length) warnings.push(`The same key is also stored for: ${duplicates.join(", ")}.`);

  log.info(`Admin ${call.actor.email} ${created ? "added new" : "updated"} provider key: ${row.name}`, { provider_type: type, test: result.error_code ?? "success" });

  return { created, providerType: type, row, testResult: result, warnings, limit };
}
