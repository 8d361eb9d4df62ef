import { type AnyColumn, sql } from "drizzle-orm";
import { type ProviderConfig, providerKeys, type ProviderKey, type StoredTestResult } from "./schema";

/** A timestamptz as JavaScript's toISOString() writes it (UTC, milliseconds truncated, "Z"). */
const iso = (column: AnyColumn) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const as = <T>(column: AnyColumn, alias: string) => sql<T>`${column}`.as(alias);

/**
 * What the list reads of each provider_keys row, aliased to the row's property names so that the
 * driver's plain rows need no mapping: the columns the masked view shows, whether a key is stored
 * (as the JS truthiness of the ciphertext: not null, not empty) but never the ciphertext, its key id
 * or its fingerprint, and the timestamps already in the view's ISO form. Over a thousand rows,
 * drizzle's per-column row mapping and the Date objects cost more than the query.
 * No `server-only` import: the benchmark's bare baseline builds the same statement from it.
 */
export const providerKeyListColumns = {
  id: as<string>(providerKeys.id, "id"),
  providerType: as<string>(providerKeys.providerType, "providerType"),
  name: as<string>(providerKeys.name, "name"),
  hasStoredKey: sql<boolean>`coalesce(${providerKeys.encryptedKey} <> '', false)`.as("hasStoredKey"),
  keyPreview: as<string | null>(providerKeys.keyPreview, "keyPreview"),
  enabled: as<boolean>(providerKeys.enabled, "enabled"),
  priority: as<number>(providerKeys.priority, "priority"),
  config: as<ProviderConfig>(providerKeys.config, "config"),
  healthStatus: as<ProviderKey["healthStatus"]>(providerKeys.healthStatus, "healthStatus"),
  testStatus: as<ProviderKey["testStatus"]>(providerKeys.testStatus, "testStatus"),
  lastTested: iso(providerKeys.lastTested).as("lastTested"),
  lastTest: as<StoredTestResult | null>(providerKeys.lastTest, "lastTest"),
  createdAt: iso(providerKeys.createdAt).as("createdAt"),
  updatedAt: iso(providerKeys.updatedAt).as("updatedAt"),
  updatedBy: as<string | null>(providerKeys.updatedBy, "updatedBy"),
};

/** A list row as the driver returns it for providerKeyListColumns (timestamps as ISO strings). */
export interface ProviderKeyListRow {
  id: string;
  providerType: string;
  name: string;
  hasStoredKey: boolean;
  keyPreview: string | null;
  enabled: boolean;
  priority: number;
  config: ProviderConfig;
  healthStatus: ProviderKey["healthStatus"];
  testStatus: ProviderKey["testStatus"];
  lastTested: string | null;
  lastTest: StoredTestResult | null;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}
