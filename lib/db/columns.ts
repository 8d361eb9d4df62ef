import { sql } from "drizzle-orm";
import { providerKeys } from "./schema";

/**
 * What the list reads of each provider_keys row: the columns the masked view shows, and whether a
 * key is stored (as the JS truthiness of the ciphertext: not null and not empty), never the
 * ciphertext, its key id or its fingerprint. Narrower rows cost less to fetch and decode, which
 * shows over a thousand rows. No `server-only` import: the benchmark's bare baseline builds the
 * same statement from it.
 */
export const providerKeyListColumns = {
  id: providerKeys.id,
  providerType: providerKeys.providerType,
  name: providerKeys.name,
  hasStoredKey: sql<boolean>`coalesce(${providerKeys.encryptedKey} <> '', false)`.as("has_stored_key"),
  keyPreview: providerKeys.keyPreview,
  enabled: providerKeys.enabled,
  priority: providerKeys.priority,
  config: providerKeys.config,
  healthStatus: providerKeys.healthStatus,
  testStatus: providerKeys.testStatus,
  lastTested: providerKeys.lastTested,
  lastTest: providerKeys.lastTest,
  createdAt: providerKeys.createdAt,
  updatedAt: providerKeys.updatedAt,
  updatedBy: providerKeys.updatedBy,
};
