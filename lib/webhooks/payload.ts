import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import type { Alert, Webhook } from "@/lib/db/schema";
import type { ProviderCredits } from "@/lib/providers/types";

/** What a webhook receives about one alert (or a test). The wire format documented in the README. */
export interface AlertEvent {
  id: number | null;
  kind: string;
  message: string;
  health_status: string;
  error_code: string | null;
  trigger: string;
  created_at: string;
  provider: { id: string | null; type: string; name: string };
  /** Budget alerts only: whose budget, and how much of it was spent (lib/usage/budget-alert.ts). */
  budget?: { hub_key_id: string; hub_key_name: string; month: string; budget_usd: number; spent_usd: number };
  /** Credit alerts only: the key's credit as the check read it, and the alert threshold (OPENROUTER_LOW_CREDIT_USD). */
  credit?: ProviderCredits & { threshold_usd: number };
}

export const EVENT_OF_KIND: Readonly<Record<string, string>> = {
  key_unhealthy: "key.unhealthy",
  key_degraded: "key.degraded",
  key_recovered: "key.recovered",
  key_still_unhealthy: "key.still_unhealthy",
  key_still_degraded: "key.still_degraded",
  budget_warning: "budget.warning",
  budget_exceeded: "budget.exceeded",
  key_low_credit: "key.low_credit",
  key_credit_recovered: "key.credit_recovered",
  test: "test",
};

/** Who a budget alert is about on the wire: the gateway itself (README, "Webhooks"). */
export const GATEWAY_PROVIDER: AlertEvent["provider"] = { id: null, type: "gateway", name: "LLM Hub gateway" };

/** The stored alert's fields an event is made of. */
export type AlertForEvent = Pick<Alert, "id" | "kind" | "message" | "healthStatus" | "errorCode" | "trigger" | "createdAt" | "providerKeyId" | "providerType" | "providerName">;

/**
 * The one mapping from a stored alert to what webhooks receive: a key's alert names its provider
 * row (a credit alert adds the key's credit figures); a budget alert (with its figures) names the
 * gateway instead.
 */
export function alertEventOf(alert: AlertForEvent, extra: Pick<AlertEvent, "budget" | "credit"> = {}): AlertEvent {
  const { budget, credit } = extra;
  const event: AlertEvent = {
    id: alert.id,
    kind: alert.kind,
    message: alert.message,
    health_status: alert.healthStatus,
    error_code: alert.errorCode,
    trigger: alert.trigger,
    created_at: alert.createdAt.toISOString(),
    provider: budget ? { ...GATEWAY_PROVIDER } : { id: alert.providerKeyId, type: alert.providerType, name: alert.providerName },
  };
  if (budget) return { ...event, budget };
  return credit ? { ...event, credit } : event;
}

/** One delivery per webhook of an event, each with its own id and the body its kind takes. */
export function deliveryDraftsOf(event: AlertEvent, hooks: Pick<Webhook, "id" | "kind">[]): { id: string; webhookId: string; event: string; body: string }[] {
  return hooks.map((h) => {
    const id = randomUUID();
    return { id, webhookId: h.id, event: EVENT_OF_KIND[event.kind] ?? event.kind, body: h.kind === "slack" ? slackBody(event) : genericBody(id, event) };
  });
}

const EMOJI: Readonly<Record<string, string>> = {
  key_unhealthy: ":red_circle:",
  key_still_unhealthy: ":red_circle:",
  key_degraded: ":large_orange_circle:",
  key_still_degraded: ":large_orange_circle:",
  key_recovered: ":large_green_circle:",
  budget_warning: ":warning:",
  budget_exceeded: ":no_entry:",
  key_low_credit: ":warning:",
  key_credit_recovered: ":large_green_circle:",
  test: ":bell:",
};

/** The generic JSON body: `{id, event, created_at, alert, provider}`. */
export function genericBody(deliveryId: string, event: AlertEvent): string {
  const { provider, ...alert } = event;
  return JSON.stringify({ id: deliveryId, event: EVENT_OF_KIND[event.kind] ?? event.kind, created_at: event.created_at, alert, provider });
}

/** A Slack incoming-webhook body (also understood by Mattermost and Discord's /slack endpoint). */
export function slackBody(event: AlertEvent): string {
  const text = `${EMOJI[event.kind] ?? ""} *LLM Hub*: ${escapeSlack(event.message)}`.trim();
  const context = [`provider: ${event.provider.type}`, `status: ${event.health_status}`, event.error_code ? `error: ${event.error_code}` : null, `check: ${event.trigger}`]
    .filter(Boolean)
    .join(" · ");
  return JSON.stringify({
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      { type: "context", elements: [{ type: "mrkdwn", text: escapeSlack(context) }] },
    ],
  });
}

function escapeSlack(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export const SIGNATURE_HEADER = "x-llmhub-signature";
export const TIMESTAMP_HEADER = "x-llmhub-timestamp";

/** `v1=` + hex HMAC-SHA256 of `<timestamp>.<body>` under the webhook's secret. */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** What a receiver does (and our tests do): recompute, compare in constant time, refuse old timestamps. */
export function verifySignature(secret: string, timestamp: string | undefined, body: string, signature: string | undefined, nowS = Math.floor(Date.now() / 1000), toleranceS = 300): boolean {
  const ts = Number(timestamp);
  if (!signature || !Number.isInteger(ts) || Math.abs(nowS - ts) > toleranceS) return false;
  const expected = Buffer.from(sign(secret, ts, body));
  const got = Buffer.from(signature);
  return expected.length === got.length && timingSafeEqual(expected, got);
}

/** Waits base x 2^(attempt-1) seconds after failed attempt n; null when out of attempts. */
export function retryDelayMs(attemptsSoFar: number, baseSeconds: number, maxAttempts: number): number | null {
  if (attemptsSoFar >= maxAttempts) return null;
  return Math.round(baseSeconds * 1000 * 2 ** Math.max(0, attemptsSoFar - 1));
}
