import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { type Alert, alerts, usageBudgetAlerts, usageKeyMonths, webhookDeliveries, webhooks, type Webhook } from "@/lib/db/schema";

export interface KeyMonth {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** A hub key's totals for one month (`YYYY-MM-01`); zeros when it made no request. */
export async function getKeyMonth(hubKeyId: string, month: string): Promise<KeyMonth> {
  const db = await getDb();
  const [row] = await db
    .select({ requests: usageKeyMonths.requests, inputTokens: usageKeyMonths.inputTokens, outputTokens: usageKeyMonths.outputTokens, costUsd: usageKeyMonths.costUsd })
    .from(usageKeyMonths)
    .where(and(eq(usageKeyMonths.hubKeyId, hubKeyId), eq(usageKeyMonths.month, month)));
  return row ? { requests: Number(row.requests), inputTokens: Number(row.inputTokens), outputTokens: Number(row.outputTokens), costUsd: Number(row.costUsd) } : { requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
}

export interface BudgetAlertWrite {
  hubKeyId: string;
  month: string;
  level: "warning" | "exceeded";
  alert: Pick<Alert, "message" | "providerName" | "healthStatus">;
  /** One delivery (id, event, body) per enabled webhook, built from the inserted alert. */
  deliveries: (alert: Alert, hooks: Pick<Webhook, "id" | "kind">[]) => { id: string; webhookId: string; event: string; body: string }[];
}

/**
 * Raises one budget alert, once: the (key, month, level) row is claimed first, so of two instances
 * (or two batches) crossing the same threshold only one writes the alert and its webhook deliveries,
 * all in one transaction. Null when it had already been raised.
 */
export async function insertBudgetAlertOnce(w: BudgetAlertWrite): Promise<{ alert: Alert; deliveries: number } | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const claimed = await tx.insert(usageBudgetAlerts).values({ hubKeyId: w.hubKeyId, month: w.month, level: w.level }).onConflictDoNothing().returning({ level: usageBudgetAlerts.level });
    if (claimed.length === 0) return null;
    const [alert] = await tx
      .insert(alerts)
      .values({ ...w.alert, kind: w.level === "warning" ? "budget_warning" : "budget_exceeded", providerKeyId: null, providerType: "gateway", trigger: "budget", errorCode: null, hubKeyId: w.hubKeyId })
      .returning();
    if (!alert) throw new Error("alert insert returned no row");
    await tx
      .update(usageBudgetAlerts)
      .set({ alertId: alert.id })
      .where(and(eq(usageBudgetAlerts.hubKeyId, w.hubKeyId), eq(usageBudgetAlerts.month, w.month), eq(usageBudgetAlerts.level, w.level)));
    const hooks = await tx.select({ id: webhooks.id, kind: webhooks.kind }).from(webhooks).where(eq(webhooks.enabled, true));
    const drafts = w.deliveries(alert, hooks);
    if (drafts.length) await tx.insert(webhookDeliveries).values(drafts.map((d) => ({ ...d, alertId: alert.id, nextAttemptAt: sql`now()` })));
    return { alert, deliveries: drafts.length };
  });
}
