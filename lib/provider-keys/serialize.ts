import "server-only";
import type { ProviderKeyListRow } from "@/lib/db/columns";
import type { ProviderKey } from "@/lib/db/schema";
import { isProviderType, type ProviderType } from "@/lib/providers/catalogue";
import { envKeyFor } from "@/lib/key-checks/env-keys";
import { maskKey } from "./mask";
import type { SavedKey } from "./save";
import type { TestedKey } from "./test";

export type KeySource = "database" | "environment" | "not_set";

/** The masked environment key a built-in row falls back to, if one is set. */
function envKeyPreview(type: ProviderType): string | null {
  const key = envKeyFor(type);
  return key ? maskKey(key) : null;
}

/** A timestamp as the API writes it; list rows carry it already in that form. */
const iso = (t: Date | string) => (typeof t === "string" ? t : t.toISOString());

/**
 * A row as the list returns it. Whitelisted fields only: ciphertext and fingerprint never leave.
 * Takes a whole row or a list row (which says whether a key is stored instead of carrying it, and
 * has its timestamps as ISO strings already).
 */
export function toProviderKeyView(row: ProviderKey | ProviderKeyListRow) {
  const stored = "hasStoredKey" in row ? row.hasStoredKey : Boolean(row.encryptedKey);
  const envPreview = row.providerType !== "custom" && isProviderType(row.providerType) ? envKeyPreview(row.providerType) : null;
  const keySource: KeySource = stored ? "database" : envPreview ? "environment" : "not_set";
  return {
    id: row.id,
    name: row.name,
    provider_type: row.providerType,
    has_key: keySource !== "not_set",
    key_source: keySource,
    enabled: row.enabled,
    health_status: row.healthStatus,
    last_tested: row.lastTested ? iso(row.lastTested) : null,
    test_status: row.testStatus ?? null,
    key_preview: stored ? row.keyPreview : envPreview,
    config: row.config.base_url ? { base_url: row.config.base_url } : {},
    priority: row.priority,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
    updated_by: row.updatedBy ?? null,
    last_test: row.lastTest
      ? {
          latency_ms: row.lastTest.latency_ms,
          models_found: row.lastTest.models_found,
          error: row.lastTest.error,
          error_code: row.lastTest.error_code,
          status_code: row.lastTest.status_code,
          credits: row.lastTest.credits ?? null,
        }
      : null,
  };
}

export type ProviderKeyView = ReturnType<typeof toProviderKeyView>;

/** A save as the API and the UI report it (never the key: its preview only). */
export function toSavedKeyView(saved: SavedKey) {
  const { row } = saved;
  return {
    success: true as const,
    provider_id: row.id,
    name: row.name,
    provider_type: saved.providerType,
    has_key: true,
    enabled: row.enabled,
    key_preview: row.keyPreview,
    test_result: saved.testResult,
    warnings: saved.warnings,
    message: "API key saved successfully",
  };
}

/** A test as the API and the UI report it: the result's fields and the warnings. */
export function toTestedKeyView(tested: TestedKey) {
  return { ...tested.result, warnings: tested.warnings };
}
