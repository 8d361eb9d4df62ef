import "server-only";
import { isUuid } from "@/lib/ids";
import { auditEventOf } from "@/lib/audit/record";
import { insertAuditEvent } from "@/lib/db/queries/audit";
import { getProviderKeyById, removeStoredKey, restoreCustomPlaceholder } from "@/lib/db/queries/provider-keys";
import type { ProviderKey } from "@/lib/db/schema";
import { notFound } from "@/lib/errors";
import { log } from "@/lib/log";
import type { CallContext } from "./context";
import { builtinRows } from "./save";

const CUSTOM_PLACEHOLDER = builtinRows().find((r) => r.providerType === "custom")!;

export async function findRowOr404(id: string) {
  const row = isUuid(id) ? await getProviderKeyById(id) : undefined;
  if (!row) throw notFound();
  return row;
}

/**
 * Remove a stored key (contract section 5): a built-in row keeps existing (and falls back to the
 * environment key); a custom endpoint is removed (the "Custom Endpoint" placeholder comes back when
 * it was the last one). A row with no key, the placeholder included, is a no-op.
 */
export async function deleteProviderKey(call: CallContext, id: string) {
  const found = await findRowOr404(id);
  const audit = (row: ProviderKey, hadKey: boolean) =>
    auditEventOf(
      {
        action: "provider_key.delete",
        outcome: "success",
        actor: call.actor,
        target: row.id,
        providerType: row.providerType,
        statusCode: 200,
        keyFingerprint: row.keyFingerprint,
        detail: { name: row.name, had_key: hadKey },
      },
      call.request,
    );
  // a custom endpoint goes; a built-in row stays, so it can fall back to the environment key
  const clear =
    found.providerType === "custom"
      ? ("delete-row" as const)
      : {
          encryptedKey: null,
          encryptionKeyId: null,
          keyPreview: null,
          keyFingerprint: null,
          healthStatus: "unknown" as const,
          testStatus: null,
          lastTested: null,
          lastTest: null,
          // what admins were told was about the deleted key; the environment key starts afresh
          alertState: "none" as const,
          degradedSince: null,
          lastAlertAt: null,
          alertReminders: 0,
          updatedBy: call.actor.email,
        };
  // locked, and audited in the same transaction, so the record names the key that really went
  const before = await removeStoredKey(found.id, clear, (row) => audit(row, true));
  if (!before) throw notFound();
  const row = before;
  const hadKey = Boolean(before.encryptedKey);
  if (!hadKey) await insertAuditEvent(audit(before, false)); // a no-op on a row without a key is still on record
  // the placeholder returns when the last custom endpoint goes (built-in rows are never deleted)
  if (hadKey && clear === "delete-row") await restoreCustomPlaceholder(CUSTOM_PLACEHOLDER);
  if (hadKey) log.info(`Admin ${call.actor.email} deleted provider key: ${row.name}`);
  return {
    success: true as const,
    provider_id: row.id,
    message: "API key deleted successfully (will fall back to environment variable if configured)",
  };
}
