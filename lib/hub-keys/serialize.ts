import type { HubKeyMonth } from "@/lib/db/queries/hub-keys";
import type { HubKey } from "@/lib/db/schema";

/** A hub key as the API lists it. Whitelisted fields: the hash never leaves, the key is never known. */
export function toHubKeyView(row: HubKey, now = Date.now()) {
  const expired = row.expiresAt !== null && row.expiresAt.getTime() <= now;
  return {
    id: row.id,
    name: row.name,
    owner: row.owner,
    key_preview: row.keyPreview,
    allowed: row.allowed,
    rpm_limit: row.rpmLimit,
    monthly_budget_usd: row.monthlyBudgetUsd === null ? null : Number(row.monthlyBudgetUsd),
    expires_at: row.expiresAt?.toISOString() ?? null,
    enabled: row.enabled,
    /** `gateway` (call LLMs through the hub) and/or `ingest` (post usage records). */
    scopes: row.scopes,
    /** What the gateway will do with it now: `active`, `disabled` or `expired`. */
    status: !row.enabled ? ("disabled" as const) : expired ? ("expired" as const) : ("active" as const),
    created_at: row.createdAt.toISOString(),
    created_by: row.createdBy,
    updated_at: row.updatedAt.toISOString(),
    updated_by: row.updatedBy,
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
  };
}

export type HubKeyView = ReturnType<typeof toHubKeyView>;

/**
 * A listed key with what it used this UTC month (`month` as `YYYY-MM`), from the same running total
 * the budget check reads, so the list and the gateway agree on what is left of a budget.
 */
export function toHubKeyListView(row: HubKey & { month: HubKeyMonth }, month: string, now = Date.now()) {
  return {
    ...toHubKeyView(row, now),
    this_month: {
      month: month.slice(0, 7),
      requests: row.month.requests,
      input_tokens: row.month.inputTokens,
      output_tokens: row.month.outputTokens,
      cost_usd: row.month.costUsd,
    },
  };
}

export type HubKeyListView = ReturnType<typeof toHubKeyListView>;

/** What a key's own holder sees of it (GET /gateway/v1/usage): its limits, not who made or changed it. */
export function hubKeyPreviewView(row: HubKey) {
  const v = toHubKeyView(row);
  return { id: v.id, name: v.name, key_preview: v.key_preview, scopes: v.scopes, allowed: v.allowed, rpm_limit: v.rpm_limit, monthly_budget_usd: v.monthly_budget_usd, expires_at: v.expires_at };
}
