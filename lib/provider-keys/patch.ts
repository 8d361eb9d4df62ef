import "server-only";
import { configChanged } from "@/lib/config-version/version";
import { auditEventOf } from "@/lib/audit/record";
import { getKeyring } from "@/lib/config/secrets";
import { getProviderKeyBySlug, updateProviderKeyById } from "@/lib/db/queries/provider-keys";
import type { NewProviderKey } from "@/lib/db/schema";
import { AppError, badRequest, notFound } from "@/lib/errors";
import { log } from "@/lib/log";
import { checkCustomBaseUrl } from "./base-url";
import type { CallContext } from "@/lib/call-context";
import { leavesOrigin, originOf } from "./endpoint-origin";
import { maskKey } from "./mask";
import { findRowOr404 } from "./queries";
import { slugFor } from "./rows";
import type { PatchKeyInput } from "./schemas";
import { toProviderKeyView } from "./serialize";

/**
 * Change a row without touching its key (docs/api.md, "PATCH /api/v1/llm/providers/keys/{id}"): only the fields sent change. The one
 * exception is a custom endpoint moved to another origin: its stored key goes there only when the
 * same request sends the key again (else 400 key_required_for_new_base_url), so that a session that
 * can edit endpoints cannot collect their keys by pointing them at its own server.
 */
export async function patchProviderKey(call: CallContext, id: string, input: PatchKeyInput) {
  const row = await findRowOr404(id);
  const set: Partial<NewProviderKey> = { updatedBy: call.actor.email };
  const custom = row.providerType === "custom";
  const detail: Record<string, unknown> = {};

  if (input.name !== undefined && input.name !== row.name) {
    set.name = input.name;
    if (custom) {
      set.slug = slugFor("custom", input.name);
      const other = await getProviderKeyBySlug(set.slug);
      if (other && other.id !== row.id) throw new AppError("conflict", `name: a custom endpoint named '${other.name}' already exists`);
    }
  }
  if (input.enabled !== undefined) set.enabled = input.enabled;
  if (input.priority !== undefined) set.priority = input.priority;
  const oldUrl = row.config.base_url ?? null;
  const newUrl = input.config?.base_url;
  const moves = newUrl !== undefined && newUrl !== oldUrl;
  if (newUrl !== undefined) {
    if (!custom) throw badRequest("config.base_url: only custom endpoints take a base URL");
    await checkCustomBaseUrl(newUrl);
    if (moves) {
      // a new address invalidates what was learned about the old one
      Object.assign(set, { config: { base_url: newUrl }, healthStatus: "unknown", testStatus: null, lastTested: null, lastTest: null });
      Object.assign(detail, { old_origin: originOf(oldUrl), new_origin: originOf(newUrl) });
    }
  }

  let fingerprint = row.keyFingerprint;
  if (input.api_key !== undefined) {
    if (!moves) throw badRequest("api_key: PATCH takes a key only with a new config.base_url; replace a key with POST /api/v1/llm/providers/keys (it is tested first)");
    const keyring = getKeyring();
    const { token, keyId } = keyring.encrypt(input.api_key);
    fingerprint = keyring.fingerprint(input.api_key);
    Object.assign(set, { encryptedKey: token, encryptionKeyId: keyId, keyPreview: maskKey(input.api_key), keyFingerprint: fingerprint, checkBackoff: 0 });
    Object.assign(detail, { key_replaced: true, replaced_key_fingerprint: row.keyFingerprint });
  } else if (moves && row.encryptedKey && leavesOrigin(oldUrl, newUrl)) {
    throw new AppError(
      "key_required_for_new_base_url",
      `api_key: required to move this endpoint to another host (${originOf(oldUrl) ?? "its old address"} to ${originOf(newUrl)}): its stored key is only sent where it was entered. Send the key again with the new base URL, or keep the host.`,
    );
  }

  const changed = Object.keys(input).filter((k) => k !== "ignoredFields");
  const audit = auditEventOf(
    { action: "provider_key.patch", outcome: "success", actor: call.actor, target: row.id, providerType: row.providerType, statusCode: 200, keyFingerprint: fingerprint, detail: { changed, enabled: set.enabled ?? row.enabled, ...detail } },
    call.request,
  );
  // The change and its audit record commit together. A stored key kept across a move of its base URL
  // is written only if the row still holds the key and URL checked above (a save racing this request
  // must not end with its new key at this new address).
  const unchanged = moves && input.api_key === undefined ? { encryptedKey: row.encryptedKey, baseUrl: oldUrl } : undefined;
  const updated = await updateProviderKeyById(row.id, set, audit, unchanged).catch((err: { code?: string; cause?: { code?: string } }) => {
    if (err.code === "23505" || err.cause?.code === "23505") throw new AppError("conflict", "name: a custom endpoint with that name already exists");
    throw err;
  });
  if (!updated && unchanged) {
    await findRowOr404(row.id);
    throw new AppError("conflict", "The endpoint's key or base URL changed while this request ran; reload and try again");
  }
  if (!updated) throw notFound();
  await configChanged();
  log.info(`Admin ${call.actor.email} changed provider ${updated.name}: ${changed.join(", ")}`, detail.new_origin ? { old_origin: detail.old_origin, new_origin: detail.new_origin } : undefined);
  return { success: true as const, ...toProviderKeyView(updated) };
}
