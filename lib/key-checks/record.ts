import "server-only";
import type { AlertRules } from "@/lib/alerts/transition";
import { type CreditAlertKind, type CreditLevel, creditMessage } from "@/lib/alerts/credit";
import { alertMessage } from "@/lib/alerts/message";
import { type CheckedFields, writeKeyCheck } from "@/lib/db/queries/key-checks";
import type { Fence } from "@/lib/db/queries/scheduler";
import { insertAuditEvent } from "@/lib/db/queries/audit";
import type { HealthCheck, NewAuditEvent, NewHealthCheck } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { storedResult } from "./run";
import { creditLevelOf } from "@/lib/providers/credits";
import { healthOf } from "@/lib/providers/health-status";
import type { KeyTestResult } from "@/lib/providers/types";
import { kickWebhookDelivery } from "@/lib/webhooks/dispatcher";
import { alertEventOf, deliveryDraftsOf } from "@/lib/webhooks/payload";

export function alertRules(): AlertRules {
  const env = getEnv();
  return { degradedAfterMs: env.ALERT_DEGRADED_AFTER_SECONDS * 1000, reminderMs: env.ALERT_REMINDER_SECONDS * 1000 };
}

/** A check's history row (without the row it belongs to). */
export function historyOf(result: KeyTestResult, trigger: HealthCheck["trigger"]): Omit<NewHealthCheck, "providerKeyId"> & { checkedAt: Date } {
  return {
    trigger,
    checkedAt: new Date(result.tested_at),
    outcome: healthOf(result),
    errorCode: result.error_code,
    statusCode: result.status_code,
    latencyMs: result.latency_ms,
    modelsFound: result.models_found,
    credits: result.credits ?? null,
  };
}

/** What a check's result says about the key's credit, against this deployment's threshold. */
export function creditLevelOfResult(result: KeyTestResult): CreditLevel {
  return creditLevelOf(result.credits, getEnv().OPENROUTER_LOW_CREDIT_USD);
}

const isCreditKind = <K extends string>(kind: K | CreditAlertKind): kind is CreditAlertKind => kind === "key_low_credit" || kind === "key_credit_recovered";

/**
 * Records one check of a stored key (or, with fingerprint null, the environment key): its status
 * on the row, a history row, and, on a transition, an alert for the bell and every webhook. One
 * locked transaction (see writeKeyCheck); nothing is written if the row no longer holds that key.
 */
export async function recordKeyCheck(input: {
  id: string;
  fingerprint: string | null;
  trigger: HealthCheck["trigger"];
  result: KeyTestResult;
  schedule?: Pick<CheckedFields, "nextCheckAt" | "checkBackoff">;
  fence?: Fence;
  /** The audit record of the request that ran the check: written with the check, or alone if the check is not. */
  audit?: NewAuditEvent;
}): Promise<boolean> {
  const { result } = input;
  const history = { ...historyOf(result, input.trigger), providerKeyId: input.id };
  const { outcome, checkedAt } = history;
  const thresholdUsd = getEnv().OPENROUTER_LOW_CREDIT_USD;
  const credits = result.credits ?? null;
  const out = await writeKeyCheck({
    id: input.id,
    fingerprint: input.fingerprint,
    fence: input.fence,
    audit: input.audit,
    rules: alertRules(),
    creditLevel: creditLevelOfResult(result),
    set: { healthStatus: outcome, testStatus: result.success ? "success" : "failed", lastTested: checkedAt, lastTest: storedResult(result), ...input.schedule },
    history,
    describe: ({ kind, row }) => ({
      healthStatus: outcome,
      trigger: input.trigger,
      errorCode: result.error_code,
      // a credit alert is only raised by a check that read the key's credit
      message: isCreditKind(kind) ? creditMessage(kind, row.name, credits!, thresholdUsd) : alertMessage(kind, row.name, result, row.degradedSince, checkedAt),
    }),
    deliveries: (alert, hooks) =>
      deliveryDraftsOf(alertEventOf(alert, isCreditKind(alert.kind) && credits ? { credit: { ...credits, threshold_usd: thresholdUsd } } : {}), hooks),
  });
  if (input.audit && !out.written) await insertAuditEvent(input.audit); // the key was replaced or deleted meanwhile
  for (const alert of out.alerts) log.warn(`Alert: ${alert.message}`, { alert_id: alert.id, kind: alert.kind });
  if (out.deliveries) kickWebhookDelivery();
  return out.written;
}
