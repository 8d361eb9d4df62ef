import { creditFigures } from "@/lib/providers/credits";
import type { ProviderCredits } from "@/lib/providers/types";

/** What admins were told about a key's credit (provider_keys.credit_alert_state). */
export type CreditAlertState = "none" | "low";
export type CreditAlertKind = "key_low_credit" | "key_credit_recovered";
/** What a check found: credit under the threshold, enough, or nothing said about credit. */
export type CreditLevel = "low" | "ok" | null;

/**
 * The low-credit rule, pure: one `key_low_credit` when a key's remaining credit falls under the
 * threshold, nothing while it stays low, one `key_credit_recovered` when it is back at or above it
 * (or the cap was lifted). A check that says nothing about credit changes nothing.
 */
export function decideCreditAlert(prev: CreditAlertState, level: CreditLevel): { next: CreditAlertState; alert: CreditAlertKind | null } {
  if (level === "low") return prev === "low" ? { next: "low", alert: null } : { next: "low", alert: "key_low_credit" };
  if (level === "ok") return prev === "low" ? { next: "none", alert: "key_credit_recovered" } : { next: "none", alert: null };
  return { next: prev, alert: null };
}

/**
 * The one credit state in which a check at this level raises nothing and changes nothing (what the
 * one-statement writers may require of the row instead of reading it); null: any state will do.
 */
export function creditQuietState(level: CreditLevel): CreditAlertState | null {
  return level === "low" ? "low" : level === "ok" ? "none" : null;
}

const dollars = (n: number) => `$${n.toFixed(2)}`;

/** The sentence for the bell, the webhook and Slack. */
export function creditMessage(kind: CreditAlertKind, name: string, credits: ProviderCredits, thresholdUsd: number): string {
  return kind === "key_low_credit"
    ? `${name}: credit is low - ${creditFigures(credits)}, under the ${dollars(thresholdUsd)} alert threshold`
    : `${name}: credit is back above ${dollars(thresholdUsd)} - ${creditFigures(credits)}`;
}
