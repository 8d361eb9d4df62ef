import "server-only";
import type { ServiceCall } from "@/lib/call-context";
import { auditEventOf, type AuditAction } from "@/lib/audit/record";
import { getHubKeyById, getHubKeyWithMonthById, insertHubKey, listHubKeysWithMonth, softDeleteHubKey, updateHubKey } from "@/lib/db/queries/hub-keys";
import type { HubKey, NewHubKey } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { log } from "@/lib/log";
import { configChanged } from "@/lib/config-version/version";
import { hubKeyChanged } from "./cache";
import type { CreateHubKeyInput, PatchHubKeyInput } from "./schemas";
import { DEFAULT_SCOPES } from "./scopes";
import { monthOf } from "@/lib/usage/month";
import { toHubKeyListView, toHubKeyView } from "./serialize";
import { generateHubKey, hashHubKey, hubKeyPreview } from "./token";

/**
 * The hub-keys service (gateway.md section 1), used by the admin API and the CLI alike. A key is
 * shown once, in the answer that made it (create, rotate); every change is audited in the same
 * transaction and announced to every instance before the call returns.
 */
export type HubKeyCall = ServiceCall;

const notFound = () => new AppError("not_found", "Hub key not found");
const SHOWN_ONCE = "Copy the key now: it is not shown again.";

function auditOf(call: HubKeyCall, action: AuditAction, statusCode: number, detail: Record<string, unknown>) {
  return (row: HubKey) =>
    auditEventOf(
      {
        action,
        outcome: "success",
        actor: call.actor.id ? { id: call.actor.id, email: call.actor.email } : null,
        actorEmail: call.actor.email,
        target: row.id,
        statusCode,
        detail: { name: row.name, key_preview: row.keyPreview, ...detail },
      },
      call.request,
    );
}

/** After a change committed, before its answer: no instance serves the key's old row again. */
async function announceChange(): Promise<void> {
  hubKeyChanged();
  await configChanged();
}

async function findOr404(id: string): Promise<HubKey> {
  const row = isUuid(id) ? await getHubKeyById(id) : undefined;
  if (!row) throw notFound();
  return row;
}

/** Every live key, newest first, each with this UTC month's requests, tokens and spend. */
export async function listHubKeyViews(now = new Date()) {
  const month = monthOf(now);
  const rows = await listHubKeysWithMonth(month);
  return { success: true as const, total: rows.length, hub_keys: rows.map((r) => toHubKeyListView(r, month, now.getTime())) };
}

export async function getHubKeyView(id: string, now = new Date()) {
  const month = monthOf(now);
  const row = isUuid(id) ? await getHubKeyWithMonthById(id, month) : undefined;
  if (!row) throw notFound();
  return { success: true as const, hub_key: toHubKeyListView(row, month, now.getTime()) };
}

/** Issues a key; the plaintext is in this answer only (the API answers 201). */
export async function createHubKey(call: HubKeyCall, input: CreateHubKeyInput) {
  const key = generateHubKey();
  const row: NewHubKey = {
    name: input.name,
    owner: input.owner ?? null,
    allowed: input.allowed ?? [],
    rpmLimit: input.rpm_limit ?? null,
    monthlyBudgetUsd: input.monthly_budget_usd ?? null,
    expiresAt: input.expires_at ?? null,
    enabled: input.enabled ?? true,
    scopes: input.scopes ?? DEFAULT_SCOPES,
    keyHash: hashHubKey(key),
    keyPreview: hubKeyPreview(key),
    createdBy: call.actor.email,
    updatedBy: call.actor.email,
  };
  const out = await insertHubKey(row, auditOf(call, "hub_key.create", 201, { owner: row.owner, allowed: row.allowed, scopes: row.scopes }));
  await announceChange();
  log.info(`${call.actor.email} issued hub key ${out.name} (${out.keyPreview})`);
  return { success: true as const, hub_key: toHubKeyView(out), key, message: SHOWN_ONCE };
}

export async function patchHubKey(call: HubKeyCall, id: string, input: PatchHubKeyInput) {
  await findOr404(id);
  const set: Partial<NewHubKey> = { updatedBy: call.actor.email };
  if (input.name !== undefined) set.name = input.name;
  if (input.owner !== undefined) set.owner = input.owner;
  if (input.allowed !== undefined) set.allowed = input.allowed;
  if (input.rpm_limit !== undefined) set.rpmLimit = input.rpm_limit;
  if (input.monthly_budget_usd !== undefined) set.monthlyBudgetUsd = input.monthly_budget_usd;
  if (input.expires_at !== undefined) set.expiresAt = input.expires_at;
  if (input.enabled !== undefined) set.enabled = input.enabled;
  if (input.scopes !== undefined) set.scopes = input.scopes;
  const changed = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
  const out = await updateHubKey(id, set, auditOf(call, "hub_key.update", 200, { changed, enabled: set.enabled, scopes: set.scopes }));
  if (!out) throw notFound();
  await announceChange();
  log.info(`${call.actor.email} changed hub key ${out.name}: ${changed.join(", ")}`);
  return { success: true as const, hub_key: toHubKeyView(out) };
}

/** Revokes a key for good: it stops working on every instance; its row stays for usage history. */
export async function deleteHubKey(call: HubKeyCall, id: string) {
  if (!isUuid(id)) throw notFound();
  const out = await softDeleteHubKey(id, call.actor.email, auditOf(call, "hub_key.delete", 200, {}));
  if (!out) throw notFound();
  await announceChange();
  log.info(`${call.actor.email} deleted hub key ${out.name} (${out.keyPreview})`);
  return { success: true as const, id: out.id, message: `Hub key ${out.name} deleted; it no longer works` };
}

/** A new key for the same settings, shown once; the old key stops working at once. */
export async function rotateHubKey(call: HubKeyCall, id: string) {
  const before = await findOr404(id);
  const key = generateHubKey();
  const set = { keyHash: hashHubKey(key), keyPreview: hubKeyPreview(key), updatedBy: call.actor.email };
  const out = await updateHubKey(id, set, auditOf(call, "hub_key.rotate", 200, { replaced_preview: before.keyPreview }));
  if (!out) throw notFound();
  await announceChange();
  log.info(`${call.actor.email} rotated hub key ${out.name} (${before.keyPreview} -> ${out.keyPreview})`);
  return { success: true as const, hub_key: toHubKeyView(out), key, message: `${SHOWN_ONCE} The previous key no longer works.` };
}
