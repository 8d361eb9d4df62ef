import "server-only";
import { configChanged } from "@/lib/config-version/version";
import { isUuid } from "@/lib/ids";
import { auditEventOf } from "@/lib/audit/record";
import { removeStoredKey, restoreCustomPlaceholder } from "@/lib/db/queries/provider-keys";
import { notFound } from "@/lib/errors";
import { log } from "@/lib/log";
import type { CallContext } from "@/lib/call-context";
import { builtinRows } from "./rows";

const CUSTOM_PLACEHOLDER = builtinRows().find((r) => r.providerType === "custom")!;

/**
 * Remove a stored key (docs/api.md, "DELETE /api/v1/llm/providers/keys/{id}"): a built-in row keeps existing (and falls back to the
 * environment key); a custom endpoint is removed (the "Custom Endpoint" placeholder comes back when
 * it was the last one). A row with no key, the placeholder included, is a no-op (audited all the same).
 * One statement locks the row, removes the key and writes the audit record.
 */
export async function deleteProviderKey(call: CallContext, id: string) {
  if (!isUuid(id)) throw notFound();
  // the row's id, type, name and fingerprint go into the record as the statement finds them
  const audit = auditEventOf({ action: "provider_key.delete", outcome: "success", actor: call.actor, statusCode: 200 }, call.request);
  const row = await removeStoredKey(id, call.actor.email, audit);
  if (!row) throw notFound();
  await configChanged();
  // the placeholder returns when the last custom endpoint goes (built-in rows are never deleted);
  // after the commit, so that of two racing deletes of the last two the later one sees both gone
  if (row.hadKey && row.providerType === "custom" && !row.customRemains) await restoreCustomPlaceholder(CUSTOM_PLACEHOLDER);
  if (row.hadKey) log.info(`Admin ${call.actor.email} deleted provider key: ${row.name}`);
  return {
    success: true as const,
    provider_id: row.id,
    message: "API key deleted successfully (will fall back to environment variable if configured)",
  };
}
