import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import { getKeyring } from "@/lib/config/secrets";
import { deleteWebhook, getDelivery, getWebhook, insertDelivery, insertWebhook, listDeliveries, listWebhooks, type NewWebhookRow, updateWebhook } from "@/lib/db/queries/webhooks";
import type { Webhook, WebhookAttempt, WebhookDelivery } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { log } from "@/lib/log";
import { resolveAllowedUrl, UrlPolicyError } from "@/lib/net/url-policy";
import type { CallContext } from "@/lib/provider-keys/context";
import { rateLimitHeaders } from "@/lib/api/rate-limit-headers";
import { getLimiter } from "@/lib/rate-limit/limiter";
import { kickWebhookDelivery } from "./dispatcher";
import { type AlertEvent, genericBody, slackBody } from "./payload";

const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
const nameSchema = z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(100, "must be at most 100 characters").regex(NO_CONTROL, "must not contain control characters");
const urlSchema = z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(2048, "must be at most 2048 characters");
const kindSchema = z.enum(["generic", "slack"], { error: "must be 'generic' or 'slack'" });

export const createWebhookSchema = z.strictObject({ name: nameSchema, url: urlSchema, kind: kindSchema.default("generic"), enabled: z.boolean({ error: "must be true or false" }).default(true) });
export const patchWebhookSchema = z
  .strictObject({ name: nameSchema.optional(), url: urlSchema.optional(), kind: kindSchema.optional(), enabled: z.boolean({ error: "must be true or false" }).optional() })
  .refine((v) => Object.keys(v).length > 0, { error: "send at least one of: name, url, kind, enabled" });
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;
export type PatchWebhookInput = z.infer<typeof patchWebhookSchema>;

/** `https://hooks.slack.com/services/T0…/…9xQz`: enough to recognise, never the secret part. */
export function urlPreview(url: URL): string {
  const path = url.pathname === "/" ? "" : url.pathname;
  const tail = path.length > 12 ? `/…${path.slice(-4)}` : path;
  return `${url.protocol}//${url.host}${tail}`;
}

const newSecret = () => `whsec_${randomBytes(32).toString("base64url")}`;
const secretPreview = (s: string) => `whsec_…${s.slice(-4)}`;

/** The URL must parse and pass the SSRF policy of custom base URLs (checked again at every send). */
async function checkUrl(raw: string): Promise<URL> {
  try {
    return (await resolveAllowedUrl(raw, getEnv().PROVIDER_URL_POLICY)).url;
  } catch (err) {
    if (err instanceof UrlPolicyError) throw new AppError("bad_webhook_url", `url: ${err.reason.replace(/^Base URL/, "Webhook URL")}`);
    throw err;
  }
}

export function serializeWebhook(w: Webhook & Partial<{ lastDeliveryAt: Date | null; lastDeliveryStatus: string | null; lastDeliveryError: string | null; pending: number; failed: number }>) {
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
    pending_deliveries: w.pending ?? 0,
    failed_deliveries: w.failed ?? 0,
  };
}

function serializeDelivery(d: WebhookDelivery & { attemptsLog: WebhookAttempt[] }) {
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

async function findOr404(id: string): Promise<Webhook> {
  const row = isUuid(id) ? await getWebhook(id) : undefined;
  if (!row) throw notFound("Webhook not found");
  return row;
}

export async function listWebhooksFor() {
  return { webhooks: (await listWebhooks()).map(serializeWebhook) };
}

/** Creates a webhook; the signing secret is in this response only. */
export async function createWebhook(call: CallContext, input: CreateWebhookInput) {
  const url = await checkUrl(input.url);
  const secret = newSecret();
  const keyring = getKeyring();
  const enc = keyring.encrypt(secret);
  const encUrl = keyring.encrypt(url.href);
  const row = await insertWebhook({
    name: input.name,
    kind: input.kind,
    encryptedUrl: encUrl.token,
    urlPreview: urlPreview(url),
    encryptedSecret: enc.token,
    encryptionKeyId: enc.keyId,
    secretPreview: secretPreview(secret),
    enabled: input.enabled,
    updatedBy: call.actor.email,
  });
  await recordAudit({ action: "webhook.create", outcome: "success", actor: call.actor, target: row.id, statusCode: 201, detail: { name: row.name, kind: row.kind, url: row.urlPreview } }, call.request);
  log.info(`Admin ${call.actor.email} added webhook: ${row.name} (${row.kind})`);
  return { status: 201, body: { success: true as const, webhook: serializeWebhook(row), secret, message: "Copy the signing secret now: it is not shown again." } };
}

export async function patchWebhook(call: CallContext, id: string, input: PatchWebhookInput) {
  const before = await findOr404(id);
  const set: Partial<NewWebhookRow> = { updatedBy: call.actor.email };
  if (input.name !== undefined) set.name = input.name;
  if (input.kind !== undefined) set.kind = input.kind;
  if (input.enabled !== undefined) set.enabled = input.enabled;
  if (input.url !== undefined) {
    const url = await checkUrl(input.url);
    // both encrypted columns share one keyring entry: re-encrypt the secret along with the new URL
    const keyring = getKeyring();
    const secret = keyring.decrypt(before.encryptedSecret, before.encryptionKeyId);
    const encUrl = keyring.encrypt(url.href);
    Object.assign(set, { encryptedUrl: encUrl.token, urlPreview: urlPreview(url), encryptedSecret: keyring.encrypt(secret).token, encryptionKeyId: encUrl.keyId });
  }
  const row = await updateWebhook(before.id, set);
  if (!row) throw notFound("Webhook not found");
  const changed = Object.keys(input);
  await recordAudit({ action: "webhook.update", outcome: "success", actor: call.actor, target: row.id, statusCode: 200, detail: { name: row.name, changed } }, call.request);
  return { body: { success: true as const, webhook: serializeWebhook(row) } };
}

export async function removeWebhook(call: CallContext, id: string) {
  const row = await deleteWebhook((await findOr404(id)).id);
  if (!row) throw notFound("Webhook not found");
  await recordAudit({ action: "webhook.delete", outcome: "success", actor: call.actor, target: row.id, statusCode: 200, detail: { name: row.name } }, call.request);
  log.info(`Admin ${call.actor.email} removed webhook: ${row.name}`);
  return { body: { success: true as const, message: `Webhook ${row.name} removed` } };
}

/** A new signing secret, shown once; the old one stops working at once. */
export async function rotateWebhookSecret(call: CallContext, id: string) {
  const before = await findOr404(id);
  const keyring = getKeyring();
  const url = keyring.decrypt(before.encryptedUrl, before.encryptionKeyId);
  const secret = newSecret();
  const enc = keyring.encrypt(secret);
  const row = await updateWebhook(before.id, { encryptedSecret: enc.token, encryptedUrl: keyring.encrypt(url).token, encryptionKeyId: enc.keyId, secretPreview: secretPreview(secret), updatedBy: call.actor.email });
  if (!row) throw notFound("Webhook not found");
  await recordAudit({ action: "webhook.rotate_secret", outcome: "success", actor: call.actor, target: row.id, statusCode: 200, detail: { name: row.name } }, call.request);
  return { body: { success: true as const, webhook: serializeWebhook(row), secret, message: "Copy the new signing secret now: it is not shown again." } };
}

/**
 * "Send test notification": queues a `test` delivery (signed, retried like any other) and waits a
 * moment for its first attempt, so the admin sees the answer at once. Rate limited: it calls out.
 */
export async function sendTestNotification(call: CallContext, id: string) {
  const hook = await findOr404(id);
  if (!hook.enabled) throw new AppError("webhook_disabled", "Webhook is disabled; enable it to send a test");
  const limit = await getLimiter("webhook-test").limit(call.actor.id);
  const headers = rateLimitHeaders(limit);
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
  const delivery = await waitForFirstAttempt(deliveryId, getEnv().WEBHOOK_TIMEOUT_MS + 2000);
  await recordAudit({ action: "webhook.test", outcome: delivery?.status === "delivered" ? "success" : "failure", actor: call.actor, target: hook.id, statusCode: 200, detail: { status: delivery?.status ?? "pending", status_code: delivery?.lastStatusCode ?? null } }, call.request);
  return { headers, body: { success: true as const, delivery: delivery ? serializeDelivery(delivery) : null } };
}

async function waitForFirstAttempt(id: string, maxMs: number) {
  const until = Date.now() + maxMs;
  for (;;) {
    const d = await getDelivery(id);
    if (!d || d.attemptsLog.length > 0 || Date.now() > until) return d;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const deliveriesQuerySchema = z.object({
  limit: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(200, "must be at most 200").default(50),
});

export async function listWebhookDeliveries(id: string, limit: number) {
  const hook = await findOr404(id);
  return { webhook: serializeWebhook(hook), deliveries: (await listDeliveries(hook.id, limit)).map(serializeDelivery) };
}

