import "server-only";
import { isUuid } from "@/lib/ids";
import { recordAudit } from "@/lib/audit/record";
import {
  deleteProviderKeyById,
  getProviderKeyById,
  restoreCustomPlaceholder,
  updateProviderKeyById,
} from "@/lib/db/queries/provider-keys";
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
  const row = await findRowOr404(id);
  const hadKey = Boolean(row.encryptedKey);
  if (row.providerType === "custom" && hadKey) {
    await deleteProviderKeyById(row.id);
    // the placeholder returns when the last custom endpoint goes (built-in rows are never deleted)
    await restoreCustomPlaceholder(CUSTOM_PLACEHOLDER);
  } else if (hadKey) {
    // a built-in row stays, so it can fall back to the environment key
    await updateProviderKeyById(row.id, {
      encryptedKey: null,
      encryptionKeyId: null,
      keyPreview: null,
      keyFingerprint: null,
      healthStatus: "unknown",
      testStatus: null,
      lastTested: null,
      lastTest: null,
      // what admins were told was about the deleted key; the environment key starts afresh
      alertState: "none",
      degradedSince: null,
      lastAlertAt: null,
      alertReminders: 0,
      updatedBy: call.actor.email,
    });
  }
  await recordAudit(
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
  if (hadKey) log.info(`Admin ${call.actor.email} deleted provider key: ${row.name}`);
  return {
    success: true as const,
    provider_id: row.id,
    message: "API key deleted successfully (will fall back to environment variable if configured)",
  };
}
