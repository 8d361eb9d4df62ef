import "server-only";
import { insertBudgetAlertOnce } from "@/lib/usage/budget-queries";
import { log } from "@/lib/log";
import { kickWebhookDelivery } from "@/lib/webhooks/dispatcher";
import { alertEventOf, deliveryDraftsOf } from "@/lib/webhooks/payload";

export type BudgetLevel = "warning" | "exceeded";

/** The share of a budget at which each alert is raised. */
export const BUDGET_THRESHOLDS: readonly [BudgetLevel, number][] = [
  ["warning", 0.8],
  ["exceeded", 1],
];

/** The levels a month's spend has reached, lowest first. */
export function levelsReached(spentUsd: number, budgetUsd: number): BudgetLevel[] {
  return BUDGET_THRESHOLDS.filter(([, share]) => spentUsd >= budgetUsd * share).map(([level]) => level);
}

const usd = (n: number) => `$${n < 1 ? n.toFixed(4) : n.toFixed(2)}`;

/** The sentence for the bell, the webhook and Slack: built from the key's name and numbers only. */
export function budgetMessage(level: BudgetLevel, name: string, spentUsd: number, budgetUsd: number, month: string): string {
  const pct = budgetUsd > 0 ? Math.floor((spentUsd / budgetUsd) * 100) : 100;
  const period = month.slice(0, 7);
  return level === "warning"
    ? `Hub key ${name}: ${pct}% of its monthly budget used (${usd(spentUsd)} of ${usd(budgetUsd)} in ${period})`
    : `Hub key ${name}: monthly budget reached (${usd(spentUsd)} of ${usd(budgetUsd)} in ${period}); its requests are refused until the month ends (UTC)`;
}

export interface BudgetAlertInput {
  hubKeyId: string;
  name: string;
  month: string;
  level: BudgetLevel;
  spentUsd: number;
  budgetUsd: number;
}

/**
 * Raises the alert for one level of one key's month unless it was raised before (by any instance):
 * a notification for every admin and a delivery to every enabled webhook (`budget.warning`,
 * `budget.exceeded`). Returns whether this call raised it.
 */
export async function raiseBudgetAlert(b: BudgetAlertInput): Promise<boolean> {
  const message = budgetMessage(b.level, b.name, b.spentUsd, b.budgetUsd, b.month);
  const out = await insertBudgetAlertOnce({
    hubKeyId: b.hubKeyId,
    month: b.month,
    level: b.level,
    alert: { message, providerName: b.name, healthStatus: b.level },
    deliveries: (alert, hooks) =>
      deliveryDraftsOf(alertEventOf(alert, { budget: { hub_key_id: b.hubKeyId, hub_key_name: b.name, month: b.month.slice(0, 7), budget_usd: b.budgetUsd, spent_usd: b.spentUsd } }), hooks),
  });
  if (!out) return false;
  log.warn(`Alert: ${out.alert.message}`, { alert_id: out.alert.id, kind: out.alert.kind, webhooks: out.deliveries });
  if (out.deliveries) kickWebhookDelivery();
  return true;
}
