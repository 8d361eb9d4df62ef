import "server-only";
import { randomUUID } from "node:crypto";
import { recordAudit } from "@/lib/audit/record";
import type { CallContext } from "@/lib/call-context";
import { getDelivery, insertDelivery } from "@/lib/db/queries/webhooks";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getLimiter, type LimitResult } from "@/lib/rate-limit/limiter";
import { kickWebhookDelivery } from "./dispatcher";
import { type AlertEvent, genericBody, slackBody } from "./payload";
import { findWebhookOr404 } from "./queries";

type Delivery = NonNullable<Awaited<ReturnType<typeof getDelivery>>>;

/**
 * "Send test notification": queues a `test` delivery (signed, retried like any other) and waits a
 * moment for its first attempt, so the admin sees the answer at once. Rate limited: it calls out.
 * Returns the delivery as it stands then (null if it vanished), and the budget spent.
 */
export async function sendTestNotification(call: CallContext, id: string): Promise<{ delivery: Delivery | null; limit: LimitResult }> {
  const hook = await findWebhookOr404(id);
  if (!hook.enabled) throw new AppError("webhook_disabled", "Webhook is disabled; enable it to send a test");
  const limit = await getLimiter("webhook-test").limit(call.actor.id);
  if (!limit.success) {
    await recordAudit({ action: "webhook.test", outcome: "denied", actor: call.actor, target: hook.id, statusCode: 429 }, call.request);
    throw new AppError("rate_limited", `Rate limit exceeded. Maximum ${limit.limit} test notifications per minute.`, { limit });
  }
  const deliveryId = randomUUID();
  const event: AlertEvent = {
    id: null,
    kind: "test",
    message: `Test notification from LLM Hub, sent by ${call.actor.email}`,
    health_status: "healthy",
    error_code: null,
    trigger: "manual",
    created_at: new Date().toISOString(),
    provider: { id: null, type: "test", name: "LLM Hub" },
  };
  await insertDelivery({ id: deliveryId, webhookId: hook.id, event: "test", body: hook.kind === "slack" ? slackBody(event) : genericBody(deliveryId, event) });
  kickWebhookDelivery();
  const delivery = (await waitForFirstAttempt(deliveryId, getEnv().WEBHOOK_TIMEOUT_MS + 2000)) ?? null;
  await recordAudit({ action: "webhook.test", outcome: delivery?.status === "delivered" ? "success" : "failure", actor: call.actor, target: hook.id, statusCode: 200, detail: { status: delivery?.status ?? "pending", status_code: delivery?.lastStatusCode ?? null } }, call.request);
  return { delivery, limit };
}

async function waitForFirstAttempt(id: string, maxMs: number) {
  const until = Date.now() + maxMs;
  for (;;) {
    const d = await getDelivery(id);
    if (!d || d.attemptsLog.length > 0 || Date.now() > until) return d;
    await new Promise((r) => setTimeout(r, 50));
  }
}
