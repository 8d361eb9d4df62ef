import "server-only";
import { auditEventOf } from "@/lib/audit/record";
import { getProviderKeyBySlug, updateProviderKeyById } from "@/lib/db/queries/provider-keys";
import type { NewProviderKey } from "@/lib/db/schema";
import { AppError, badRequest } from "@/lib/errors";
import { log } from "@/lib/log";
import { checkCustomBaseUrl } from "./base-url";
import type { CallContext } from "./context";
import { findRowOr404 } from "./remove";
import { slugFor } from "./save";
import type { PatchKeyInput } from "./schemas";
import { toProviderKeyView } from "./serialize";

/** Change a row without touching its key (contract section 5a): only the fields sent change. */
export async function patchProviderKey(call: CallContext, id: string, input: PatchKeyInput) {
  const row = await findRowOr404(id);
  const set: Partial<NewProviderKey> = { updatedBy: call.actor.email };
  const custom = row.providerType === "custom";

  if (input.name !== undefined && input.name !== row.name) {
    set.name = input.name;
    if (custom) {
      set.slug = slugFor("custom", input.name);
      const other = await getProviderKeyBySlug(set.slug);
      if (other && other.id !== row.id) throw new AppError(409, "conflict", `name: a custom endpoint named '${other.name}' already exists`);
    }
  }
  if (input.enabled !== undefined) set.enabled = input.enabled;
  if (input.priority !== undefined) set.priority = input.priority;
  if (input.config?.base_url !== undefined) {
    if (!custom) throw badRequest("config.base_url: only custom endpoints take a base URL");
    await checkCustomBaseUrl(input.config.base_url);
    if (input.config.base_url !== row.config.base_url) {
      // a new address invalidates what was learned about the old one
      Object.assign(set, { config: { base_url: input.config.base_url }, healthStatus: "unknown", testStatus: null, lastTested: null, lastTest: null });
    }
  }

  const changed = Object.keys(input).filter((k) => k !== "ignoredFields");
  const audit = auditEventOf(
    { action: "provider_key.patch", outcome: "success", actor: call.actor, target: row.id, providerType: row.providerType, statusCode: 200, keyFingerprint: row.keyFingerprint, detail: { changed, enabled: set.enabled ?? row.enabled } },
    call.request,
  );
  // the change and its audit record commit together
  const updated = await updateProviderKeyById(row.id, set, audit).catch((err: { code?: string; cause?: { code?: string } }) => {
    if (err.code === "23505" || err.cause?.code === "23505") throw new AppError(409, "conflict", "name: a custom endpoint with that name already exists");
    throw err;
  });
  if (!updated) throw new AppError(404, "not_found", "Provider not found");
  log.info(`Admin ${call.actor.email} changed provider ${updated.name}: ${changed.join(", ")}`);
  return { success: true as const, ...toProviderKeyView(updated) };
}
