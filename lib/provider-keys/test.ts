import "server-only";
import { auditEventOf } from "@/lib/audit/record";
import { insertAuditEvent } from "@/lib/db/queries/audit";
import { getKeyring } from "@/lib/config/secrets";
import type { ProviderKey } from "@/lib/db/schema";
import {
  getProviderKeyById,
  getProviderKeyBySlug,
  listProviderKeyRowsByType,
} from "@/lib/db/queries/provider-keys";
import { AppError, badRequest, notFound } from "@/lib/errors";
import { recordKeyCheck } from "@/lib/key-checks/record";
import { log } from "@/lib/log";
import type { KeyTestResult } from "@/lib/providers/types";
import type { LimitResult } from "@/lib/rate-limit/limiter";
import { formatWarnings } from "@/lib/providers/format-hints";
import type { ProviderType } from "@/lib/providers/catalogue";
import type { CallContext } from "@/lib/call-context";
import { envKeyFor } from "@/lib/key-checks/env-keys";
import { spendKeyTest } from "@/lib/key-checks/budget";
import { runKeyTest } from "@/lib/key-checks/run";
import { ignoredFieldsWarning } from "@/lib/schemas/contract-body";
import type { TestKeyInput } from "./schemas";

interface Target {
  key: string;
  row: ProviderKey | null;
  /** What the result is recorded against: the stored key's fingerprint, or null for the env key. */
  source: "supplied" | "database" | "environment";
  baseUrl: string | null;
}

/** What a test found (a failed key is a result, not an error), with warnings and the budget it spent. */
export interface TestedKey {
  result: KeyTestResult;
  warnings: string[];
  limit: LimitResult;
}

/**
 * Test a key (docs/api.md, "POST /api/v1/llm/providers/keys/test"): a supplied one (writes nothing
 * but the audit record), or the stored one falling back to the environment key (its row records the
 * result).
 */
export async function testProviderKeyFor(call: CallContext, input: TestKeyInput): Promise<TestedKey> {
  const type = input.provider_type;
  const target = await resolveTarget(type, input);
  const keyring = getKeyring();
  const fingerprint = target.source === "environment" ? null : keyring.fingerprint(target.key);
  const limit = await spendKeyTest(call, "provider_key.test", type);
  const result = await runKeyTest(type, target.key, target.baseUrl);

  const audit = auditEventOf(
    {
      action: "provider_key.test",
      outcome: result.success ? "success" : "failure",
      actor: call.actor,
      target: target.row?.id ?? null,
      providerType: type,
      statusCode: 200,
      keyFingerprint: fingerprint,
      detail: { source: target.source, error_code: result.error_code, status_code: result.status_code },
    },
    call.request,
  );
  // a stored (or environment) key's result goes on its row with the audit record, in one statement
  if (target.row && target.source !== "supplied") await recordKeyCheck({ id: target.row.id, fingerprint, trigger: "manual", result, audit });
  else await insertAuditEvent(audit);
  log.info(`Admin ${call.actor.email} tested ${target.source} key: ${target.row?.name ?? type} -> ${result.error_code ?? "success"}`);
  const warnings = [...(target.source === "supplied" ? formatWarnings(type, target.key) : []), ...ignoredFieldsWarning(input.ignoredFields)];
  return { result, warnings, limit };
}

async function resolveTarget(type: ProviderType, input: TestKeyInput): Promise<Target> {
  let row: ProviderKey | null = null;
  if (input.id) {
    row = (await getProviderKeyById(input.id)) ?? null;
    if (!row) throw notFound();
    if (row.providerType !== type) throw badRequest(`id: that row belongs to provider '${row.providerType}', not '${type}'`);
  } else if (type !== "custom") {
    row = (await getProviderKeyBySlug(type)) ?? null;
  }

  const supplied = input.api_key || null;
  if (type === "custom") {
    if (!row && !supplied) row = await onlyStoredCustom();
    // a stored key only ever goes to its own base URL: a supplied URL is for testing a supplied key
    if (!supplied && input.config?.base_url) {
      throw badRequest("config.base_url: only with api_key (to test an unsaved key); a stored key is tested against its own base URL");
    }
    const baseUrl = input.config?.base_url ?? row?.config.base_url ?? null;
    if (!baseUrl) throw badRequest("config.base_url: field required to test a custom endpoint (or send the id of a saved one)");
    if (supplied) return { key: supplied, row, source: "supplied", baseUrl };
    if (row?.encryptedKey) return { key: decrypt(row), row, source: "database", baseUrl };
    throw notConfigured(type);
  }
  if (input.config?.base_url) throw badRequest("config.base_url: only custom endpoints take a base URL");
  if (supplied) return { key: supplied, row, source: "supplied", baseUrl: null };
  if (row?.encryptedKey) return { key: decrypt(row), row, source: "database", baseUrl: null };
  const envKey = envKeyFor(type);
  if (envKey) return { key: envKey, row, source: "environment", baseUrl: null };
  throw notConfigured(type);
}

async function onlyStoredCustom(): Promise<ProviderKey> {
  const rows = (await listProviderKeyRowsByType("custom")).filter((r) => r.encryptedKey);
  if (rows.length === 1 && rows[0]) return rows[0];
  if (rows.length === 0) throw notConfigured("custom");
  throw badRequest("id: required to pick one of several custom endpoints");
}

const notConfigured = (type: string) => new AppError("not_configured", `No API key configured for provider: ${type}`);

function decrypt(row: ProviderKey): string {
  try {
    return getKeyring().decrypt(row.encryptedKey ?? "", row.encryptionKeyId);
  } catch {
    log.error("Stored key cannot be decrypted with any configured encryption key", { id: row.id, key_id: row.encryptionKeyId });
    throw new AppError(
      "decryption_failed",
      "The stored key cannot be decrypted with the configured encryption keys (was BYOK_ENCRYPTION_KEY changed without keeping the old key in BYOK_ENCRYPTION_KEYS?)",
    );
  }
}
