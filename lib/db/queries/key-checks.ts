import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { type CreditAlertKind, type CreditLevel, creditQuietState, decideCreditAlert } from "@/lib/alerts/credit";
import { type AlertKind, type AlertRules, decideAlert, QUIET } from "@/lib/alerts/transition";
import { getDb } from "../client";
import { rowsOf } from "../rows";
import { auditInsertSql } from "./audit";
import { type Alert, alerts, auditEvents, healthChecks, type NewAuditEvent, type NewAlert, type NewHealthCheck, type ProviderKey, providerKeys, type Webhook, webhookDeliveries, webhooks } from "../schema";
import { type Fence, fenced } from "./scheduler";

export type CheckedFields = Pick<ProviderKey, "healthStatus" | "testStatus" | "lastTested" | "lastTest"> &
  Partial<Pick<ProviderKey, "nextCheckAt" | "checkBackoff">>;

export interface AlertDraft {
  kind: AlertKind | CreditAlertKind;
  row: Pick<ProviderKey, "id" | "providerType" | "name" | "degradedSince">;
}

export interface DeliveryDraft {
  id: string;
  webhookId: string;
  event: string;
  body: string;
}

export interface KeyCheckWrite {
  id: string;
  /** The fingerprint of the key that was checked; null = the environment key. */
  fingerprint: string | null;
  set: CheckedFields;
  history: NewHealthCheck & { checkedAt: Date };
  rules: AlertRules;
  /** What the check found about the key's credit (lib/alerts/credit.ts): may raise a credit alert beside a health one. */
  creditLevel: CreditLevel;
  /** Scheduled checks write only while their lease holds. */
  fence?: Fence;
  /** Turns a raised alert into its row (the message) and then into one delivery per enabled webhook. */
  describe: (draft: AlertDraft, history: NewHealthCheck) => Omit<NewAlert, "kind" | "providerKeyId" | "providerType" | "providerName">;
  deliveries: (alert: Alert, hooks: Pick<Webhook, "id" | "kind">[]) => DeliveryDraft[];
  /** The audit record of the request that ran the check, written with it when the check is written. */
  audit?: NewAuditEvent;
}

/**
 * Every check result (scheduled, manual, the test of a save) goes through here, in one transaction
 * that locks the key's row: the status, the history row, any alert with its webhook deliveries, and
 * the audit record of the request (if any) are written together or not at all, and two instances
 * checking the same key at once serialize on the lock, so a transition raises exactly one alert. Nothing is written when the row no longer
 * holds the checked key (replaced or deleted meanwhile) or the fence is lost.
 */
export async function writeKeyCheck(w: KeyCheckWrite): Promise<{ written: boolean; alerts: Alert[]; deliveries: number }> {
  if (w.set.healthStatus === QUIET.outcome && (await writeQuietCheck(w))) return { written: true, alerts: [], deliveries: 0 };
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        id: providerKeys.id,
        providerType: providerKeys.providerType,
        name: providerKeys.name,
        alertState: providerKeys.alertState,
        degradedSince: providerKeys.degradedSince,
        lastAlertAt: providerKeys.lastAlertAt,
        alertReminders: providerKeys.alertReminders,
        creditAlertState: providerKeys.creditAlertState,
      })
      .from(providerKeys)
      .where(
        and(
          eq(providerKeys.id, w.id),
          w.fingerprint ? eq(providerKeys.keyFingerprint, w.fingerprint) : isNull(providerKeys.keyFingerprint),
          w.fence ? fenced(w.fence) : undefined,
        ),
      )
      .for("update");
    if (!row) return { written: false, alerts: [], deliveries: 0 };
    if (w.audit) await tx.insert(auditEvents).values(w.audit);

    const { next, alert: kind } = decideAlert(row, w.set.healthStatus, w.history.checkedAt, w.rules);
    const credit = decideCreditAlert(row.creditAlertState, w.creditLevel);
    await tx
      .update(providerKeys)
      .set({
        ...w.set,
        alertState: next.alertState,
        degradedSince: next.degradedSince,
        lastAlertAt: next.lastAlertAt,
        alertReminders: next.alertReminders,
        creditAlertState: credit.next,
      })
      .where(eq(providerKeys.id, row.id));
    await tx.insert(healthChecks).values(w.history);
    const kinds = [kind, credit.alert].filter((k) => k !== null);
    if (kinds.length === 0) return { written: true, alerts: [], deliveries: 0 };

    const raised: Alert[] = [];
    let deliveries = 0;
    const hooks = await tx.select({ id: webhooks.id, kind: webhooks.kind }).from(webhooks).where(eq(webhooks.enabled, true));
    for (const k of kinds) {
      const [alert] = await tx
        .insert(alerts)
        .values({
          ...w.describe({ kind: k, row: { ...row, degradedSince: next.degradedSince } }, w.history),
          kind: k,
          providerKeyId: row.id,
          providerType: row.providerType,
          providerName: row.name,
        })
        .returning();
      if (!alert) throw new Error("alert insert returned no row");
      const drafts = w.deliveries(alert, hooks);
      if (drafts.length) {
        await tx.insert(webhookDeliveries).values(drafts.map((d) => ({ ...d, alertId: alert.id, nextAttemptAt: sql`now()` })));
      }
      raised.push(alert);
      deliveries += drafts.length;
    }
    return { written: true, alerts: raised, deliveries };
  });
}

/**
 * The common case in one statement: a check that cannot raise an alert (QUIET in
 * lib/alerts/transition.ts: a healthy check of a key in the quiet state, whose credit state is the
 * one this check's credit keeps quiet: creditQuietState), so status, history and the
 * audit record are written together without the locked read. Returns false when the row does not
 * match (a key with alert state, a replaced key, a lost fence): the caller takes the locked path.
 */
async function writeQuietCheck(w: KeyCheckWrite): Promise<boolean> {
  const db = await getDb();
  const { set, history: h } = w;
  const creditQuiet = creditQuietState(w.creditLevel);
  const rows = await db.execute(sql`
    with u as (
      update provider_keys set health_status = ${set.healthStatus}, test_status = ${set.testStatus},
        last_tested = ${set.lastTested?.toISOString() ?? null}::timestamptz, last_test = ${set.lastTest ? JSON.stringify(set.lastTest) : null}::jsonb
        ${set.nextCheckAt !== undefined ? sql`, next_check_at = ${set.nextCheckAt?.toISOString() ?? null}::timestamptz` : sql``}
        ${set.checkBackoff !== undefined ? sql`, check_backoff = ${set.checkBackoff}` : sql``}
      where id = ${w.id} and key_fingerprint is not distinct from ${w.fingerprint} and alert_state = ${QUIET.state.alertState} and degraded_since is not distinct from ${QUIET.state.degradedSince}
        ${creditQuiet ? sql`and credit_alert_state = ${creditQuiet}` : sql``}
        ${w.fence ? sql`and ${fenced(w.fence)}` : sql``}
      returning id)
    ${w.audit ? sql`, a as (${auditInsertSql(w.audit, { source: sql`u` })})` : sql``}
    insert into health_checks (provider_key_id, checked_at, trigger, outcome, error_code, status_code, latency_ms, models_found, credits)
    select id, ${h.checkedAt.toISOString()}::timestamptz, ${h.trigger}, ${h.outcome}, ${h.errorCode ?? null}, ${h.statusCode ?? null}::int,
      ${h.latencyMs ?? null}::int, ${h.modelsFound ?? null}::int, ${h.credits ? JSON.stringify(h.credits) : null}::jsonb from u
    returning id`);
  return rowsOf(rows).length === 1;
}
