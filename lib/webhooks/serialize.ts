import type { WebhookWithStats } from "@/lib/db/queries/webhooks";
import type { Webhook, WebhookAttempt, WebhookDelivery } from "@/lib/db/schema";

/** A webhook as the API and the UI show it. Whitelisted fields: its URL and secret only as previews. */
export function toWebhookView(w: WebhookWithStats) {
  return {
    id: w.id,
    name: w.name,
    kind: w.kind,
    url_preview: w.urlPreview,
    secret_preview: w.secretPreview,
    enabled: w.enabled,
    created_at: w.createdAt.toISOString(),
    updated_at: w.updatedAt.toISOString(),
    updated_by: w.updatedBy,
    last_delivery: w.lastDeliveryAt ? { at: w.lastDeliveryAt.toISOString(), status: w.lastDeliveryStatus, error: w.lastDeliveryError } : null,
    pending_deliveries: w.pending,
    failed_deliveries: w.failed,
  };
}

export type WebhookView = ReturnType<typeof toWebhookView>;

/** A delivery with every attempt made so far. */
export function toDeliveryView(d: WebhookDelivery & { attemptsLog: WebhookAttempt[] }) {
  return {
    id: d.id,
    event: d.event,
    alert_id: d.alertId,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.status === "pending" && d.nextAttemptAt ? d.nextAttemptAt.toISOString() : null,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    created_at: d.createdAt.toISOString(),
    delivered_at: d.deliveredAt?.toISOString() ?? null,
    attempt_log: d.attemptsLog.map((a) => ({ attempt: a.attempt, at: a.at.toISOString(), success: a.success, status_code: a.statusCode, error: a.error, latency_ms: a.latencyMs })),
  };
}

export type DeliveryView = ReturnType<typeof toDeliveryView>;

/** What a create answers: the webhook and its signing secret, which no later answer shows. */
export const toCreatedWebhookView = (r: { webhook: WebhookWithStats; secret: string }) => ({
  success: true as const,
  webhook: toWebhookView(r.webhook),
  secret: r.secret,
  message: "Copy the signing secret now: it is not shown again.",
});

/** What a rotation answers: the webhook and its new signing secret, shown once. */
export const toRotatedWebhookView = (r: { webhook: WebhookWithStats; secret: string }) => ({
  success: true as const,
  webhook: toWebhookView(r.webhook),
  secret: r.secret,
  message: "Copy the new signing secret now: it is not shown again.",
});

export const toUpdatedWebhookView = (webhook: WebhookWithStats) => ({ success: true as const, webhook: toWebhookView(webhook) });

export const toRemovedWebhookView = (webhook: Pick<Webhook, "name">) => ({ success: true as const, message: `Webhook ${webhook.name} removed` });

/** A test notification's delivery after its first attempt (null if it vanished meanwhile). */
export const toTestedWebhookView = (r: { delivery: (WebhookDelivery & { attemptsLog: WebhookAttempt[] }) | null }) => ({
  success: true as const,
  delivery: r.delivery ? toDeliveryView(r.delivery) : null,
});
