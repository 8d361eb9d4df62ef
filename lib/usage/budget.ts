import "server-only";
import { getKeyMonth } from "@/lib/usage/budget-queries";
import type { KeyMonthTotal } from "@/lib/usage/batch-queries";
import { newDate, nowMs } from "@/lib/clock";
import { getEnv } from "@/lib/env";
import { errorFields, log } from "@/lib/log";
import { levelsReached, raiseBudgetAlert } from "./budget-alert";
import { monthOf, secondsUntilNextMonth } from "./month";

/**
 * Monthly budgets per hub key (gateway.md §5), checked before every gateway request. The spend is
 * the key's row in usage_key_months (kept by the same statement that writes its usage records),
 * read at most once per USAGE_BUDGET_CACHE_SECONDS per key per instance, and refreshed at once
 * whenever this instance writes a batch for the key. So the spend a check sees lags the truth by
 * at most: the records still waiting in a batcher (USAGE_FLUSH_INTERVAL_MS, on any instance), plus,
 * for other instances' records, USAGE_BUDGET_CACHE_SECONDS. A key can overshoot its budget by what
 * it spends within that window (and by the request that crosses it: a price is known only after).
 */

export interface BudgetedKey {
  id: string;
  monthlyBudgetUsd: number | null;
  /** For alert messages; the id's start when absent. */
  name?: string;
}

export type BudgetCheck =
  | { exceeded: false; spentUsd: number | null; budgetUsd: number | null }
  | { exceeded: true; spentUsd: number; budgetUsd: number; retryAfterSeconds: number };

interface Spend {
  month: string;
  costUsd: number;
  at: number;
}

const g = globalThis as unknown as {
  __llmhubBudget?: {
    spend: Map<string, Spend>;
    loading: Map<string, Promise<Spend>>;
    /** Keys seen with a budget, so a written batch can raise their alerts without a lookup. */
    budgets: Map<string, { budgetUsd: number; name: string }>;
    /** `id|month|level` already raised (or found raised): no need to ask the database again. */
    raised: Set<string>;
  };
};
const state = () => (g.__llmhubBudget ??= { spend: new Map(), loading: new Map(), budgets: new Map(), raised: new Set() });

/** Is this key over its budget for the current UTC month? Throws when the spend cannot be read (fail closed). */
export async function checkBudget(hubKey: BudgetedKey, now = newDate()): Promise<BudgetCheck> {
  const budget = hubKey.monthlyBudgetUsd;
  if (budget === null || budget === undefined || !Number.isFinite(budget)) return { exceeded: false, spentUsd: null, budgetUsd: null };
  const s = state();
  s.budgets.set(hubKey.id, { budgetUsd: budget, name: hubKey.name ?? `${hubKey.id.slice(0, 8)}…` });
  const month = monthOf(now);
  const spent = (await spendOf(hubKey.id, month, now.getTime())).costUsd;
  maybeAlert(hubKey.id, month, spent);
  if (spent >= budget) return { exceeded: true, spentUsd: spent, budgetUsd: budget, retryAfterSeconds: secondsUntilNextMonth(now) };
  return { exceeded: false, spentUsd: spent, budgetUsd: budget };
}

async function spendOf(id: string, month: string, now: number): Promise<Spend> {
  const s = state();
  const cached = s.spend.get(id);
  if (cached && cached.month === month && now - cached.at < getEnv().USAGE_BUDGET_CACHE_SECONDS * 1000) return cached;
  let loading = s.loading.get(id);
  if (!loading) {
    loading = getKeyMonth(id, month)
      .then((m) => {
        const fresh = { month, costUsd: m.costUsd, at: nowMs() };
        s.spend.set(id, fresh);
        return fresh;
      })
      .finally(() => s.loading.delete(id));
    s.loading.set(id, loading);
  }
  return loading;
}

/** Called by the recorder with each key's month total after a batch was written. */
export function noteKeyMonthTotals(months: readonly KeyMonthTotal[], now = new Date()): void {
  const s = state();
  const current = monthOf(now);
  for (const m of months) {
    if (m.month !== current) continue; // a late record of last month changes nothing now
    s.spend.set(m.hubKeyId, { month: m.month, costUsd: m.costUsd, at: now.getTime() });
    maybeAlert(m.hubKeyId, m.month, m.costUsd);
  }
}

/** Raises the alerts a spend has reached and this process has not seen raised yet; never throws. */
function maybeAlert(id: string, month: string, spentUsd: number): void {
  const s = state();
  const known = s.budgets.get(id);
  if (!known) return;
  for (const level of levelsReached(spentUsd, known.budgetUsd)) {
    const key = `${id}|${month}|${level}`;
    if (s.raised.has(key)) continue;
    s.raised.add(key); // claimed locally while the database decides; released on failure to retry later
    raiseBudgetAlert({ hubKeyId: id, name: known.name, month, level, spentUsd, budgetUsd: known.budgetUsd }).catch((err) => {
      s.raised.delete(key);
      log.warn("Budget alert could not be recorded; will retry on the next request", errorFields(err));
    });
  }
}
