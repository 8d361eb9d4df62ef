import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "../client";
import { rowsOf } from "../rows";
import { type Webhook, type WebhookAttempt, type WebhookDelivery, webhookAttempts, webhookDeliveries, webhooks } from "../schema";

export type NewWebhookRow = Pick<Webhook, "name" | "kind" | "encryptedUrl" | "urlPreview" | "encryptedSecret" | "encryptionKeyId" | "secretPreview" | "enabled" | "updatedBy">;

export interface WebhookWithStats extends Webhook {
  lastDeliveryAt: Date | null;
  lastDeliveryStatus: WebhookDelivery["status"] | null;
  lastDeliveryError: string | null;
  pending: number;
  failed: number;
}

/** Webhooks (all, or the one with `id`) with their last delivery and pending and failed counts. */
async function selectWebhooksWithStats(id?: string): Promise<WebhookWithStats[]> {
  const db = await getDb();
  const only = id === undefined ? sql`` : sql`where w.id = ${id}`;
  const rows = await db.execute(sql`
    select w.*, last.created_at as last_delivery_at, last.status as last_delivery_status, last.last_error as last_delivery_error,
      (select count(*)::int from webhook_deliveries p where p.webhook_id = w.id and p.status = 'pending') as pending,
      (select count(*)::int from webhook_deliveries f where f.webhook_id = w.id and f.status = 'failed') as failed
    from webhooks w
    left join lateral (select created_at, status, last_error from webhook_deliveries d where d.webhook_id = w.id order by d.created_at desc limit 1) last on true
    ${only}
    order by w.created_at, w.id`);
  return rowsOf<Record<string, unknown>>(rows).map((r) => ({
    id: r.id as string,
    name: r.name as string,
    kind: r.kind as Webhook["kind"],
    encryptedUrl: r.encrypted_url as string,
    urlPreview: r.url_preview as string,
    encryptedSecret: r.encrypted_secret as string,
    encryptionKeyId: (r.encryption_key_id as string | null) ?? null,
    secretPreview: r.secret_preview as string,
    enabled: Boolean(r.enabled),
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
    updatedBy: (r.updated_by as string | null) ?? null,
    lastDeliveryAt: r.last_delivery_at ? new Date(r.last_delivery_at as string) : null,
    lastDeliveryStatus: (r.last_delivery_status as WebhookDelivery["status"] | null) ?? null,
    lastDeliveryError: (r.last_delivery_error as string | null) ?? null,
    pending: Number(r.pending ?? 0),
    failed: Number(r.failed ?? 0),
  }));
}

export const listWebhooks = (): Promise<WebhookWithStats[]> => selectWebhooksWithStats();

/** One webhook with the same delivery figures the list shows. */
export async function getWebhookWithStats(id: string): Promise<WebhookWithStats | undefined> {
  const [row] = await selectWebhooksWithStats(id);
  return row;
}

/** Inserts a webhook; a new one has no deliveries yet, and its figures say so. */
export async function insertWebhook(row: NewWebhookRow): Promise<WebhookWithStats> {
  const db = await getDb();
  const [out] = await db.insert(webhooks).values(row).returning();
  if (!out) throw new Error("webhook insert returned no row");
  return { ...out, lastDeliveryAt: null, lastDeliveryStatus: null, lastDeliveryError: null, pending: 0, failed: 0 };
}

/** Updates a webhook; disabling it gives up its pending deliveries (they would go out stale otherwise). */
export async function updateWebhook(id: string, set: Partial<NewWebhookRow>): Promise<Webhook | undefined> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhooks)
      .set({ ...set, updatedAt: sql`now()` })
      .where(eq(webhooks.id, id))
      .returning();
    if (row && set.enabled === false) {
      await tx
        .update(webhookDeliveries)
        .set({ status: "failed", lastError: "webhook disabled before delivery", nextAttemptAt: null })
        .where(and(eq(webhookDeliveries.webhookId, id), eq(webhookDeliveries.status, "pending")));
    }
    return row;
  });
}

export async function deleteWebhook(id: string): Promise<Webhook | undefined> {
  const db = await getDb();
  const [row] = await db.delete(webhooks).where(eq(webhooks.id, id)).returning();
  return row;
}

/** Queues one delivery (a test message) to be sent at once. */
export async function insertDelivery(d: { id: string; webhookId: string; event: string; body: string }): Promise<void> {
  const db = await getDb();
  await db.insert(webhookDeliveries).values({ ...d, nextAttemptAt: sql`now()` });
}

export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  event: string;
  body: string;
  attempt: number;
  encryptedUrl: string;
  kind: Webhook["kind"];
  encryptedSecret: string;
  encryptionKeyId: string | null;
}

/**
 * Claims up to `limit` due deliveries of enabled webhooks for this sender: the attempt counter goes
 * up and the delivery is hidden for `holdMs` (so a sender that dies mid-request only delays it).
 * SKIP LOCKED lets any number of instances send without sending anything twice at once.
 */
export async function claimDueDeliveries(limit: number, holdMs: number): Promise<ClaimedDelivery[]> {
  const db = await getDb();
  const rows = await db.execute(sql`
    update webhook_deliveries d
    set attempts = d.attempts + 1, next_attempt_at = now() + ${holdMs} * interval '1 millisecond'
    from webhooks w
    where w.id = d.webhook_id and d.id in (
      select q.id from webhook_deliveries q join webhooks qw on qw.id = q.webhook_id and qw.enabled
      where q.status = 'pending' and q.next_attempt_at <= now()
      order by q.next_attempt_at limit ${limit}
      for update of q skip locked)
    returning d.id, d.webhook_id, d.event, d.body, d.attempts, w.encrypted_url, w.kind, w.encrypted_secret, w.encryption_key_id`);
  return rowsOf<Record<string, unknown>>(rows).map((r) => ({
    id: r.id as string,
    webhookId: r.webhook_id as string,
    event: r.event as string,
    body: r.body as string,
    attempt: Number(r.attempts),
    encryptedUrl: r.encrypted_url as string,
    kind: r.kind as Webhook["kind"],
    encryptedSecret: r.encrypted_secret as string,
    encryptionKeyId: (r.encryption_key_id as string | null) ?? null,
  }));
}

/**
 * Records one attempt and moves its delivery on: delivered, failed (out of attempts), or pending
 * again after `retryInMs`. Only the sender holding the claim (attempt number) can do so.
 */
export async function finishAttempt(
  d: { id: string; attempt: number },
  a: { success: boolean; statusCode: number | null; error: string | null; latencyMs: number },
  retryInMs: number | null,
): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const moved = await tx
      .update(webhookDeliveries)
      .set({
        status: a.success ? "delivered" : retryInMs === null ? "failed" : "pending",
        lastStatusCode: a.statusCode,
        lastError: a.error,
        deliveredAt: a.success ? sql`now()` : null,
        nextAttemptAt: !a.success && retryInMs !== null ? sql`now() + ${retryInMs} * interval '1 millisecond'` : null,
      })
      .where(and(eq(webhookDeliveries.id, d.id), eq(webhookDeliveries.attempts, d.attempt), eq(webhookDeliveries.status, "pending")))
      .returning({ id: webhookDeliveries.id });
    if (moved.length) await tx.insert(webhookAttempts).values({ deliveryId: d.id, attempt: d.attempt, ...a });
  });
}

/** Milliseconds until the next pending delivery is due (0 if one is due now), or null if none is pending. */
export async function msUntilNextDelivery(): Promise<number | null> {
  const db = await getDb();
  const rows = rowsOf<{ ms: string | number | null }>(
    // not greatest(0, …): GREATEST skips NULLs, so with nothing pending it said 0 ("due now") and the
    // dispatcher polled every 20 ms, forever
    await db.execute(sql`select extract(epoch from (min(next_attempt_at) - now())) * 1000 as ms from webhook_deliveries where status = 'pending'`),
  );
  const ms = rows[0]?.ms;
  return ms === null || ms === undefined ? null : Math.max(0, Number(ms));
}

export async function listDeliveries(webhookId: string, limit: number): Promise<(WebhookDelivery & { attemptsLog: WebhookAttempt[] })[]> {
  const db = await getDb();
  const deliveries = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId)).orderBy(desc(webhookDeliveries.createdAt)).limit(limit);
  if (!deliveries.length) return [];
  const attempts = await db
    .select()
    .from(webhookAttempts)
    .where(inArray(webhookAttempts.deliveryId, deliveries.map((d) => d.id)))
    .orderBy(webhookAttempts.attempt);
  return deliveries.map((d) => ({ ...d, attemptsLog: attempts.filter((a) => a.deliveryId === d.id) }));
}

export async function getDelivery(id: string): Promise<(WebhookDelivery & { attemptsLog: WebhookAttempt[] }) | undefined> {
  const db = await getDb();
  const [d] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  if (!d) return undefined;
  const attemptsLog = await db.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, id)).orderBy(webhookAttempts.attempt);
  return { ...d, attemptsLog };
}

/** Retention: finished deliveries (and their attempts) older than the cut-off. */
export async function deleteFinishedDeliveriesBefore(cutoff: Date): Promise<number> {
  const db = await getDb();
  const rows = await db.execute(sql`delete from webhook_deliveries where status <> 'pending' and created_at < ${cutoff.toISOString()} returning id`);
  return rowsOf(rows).length;
}

/** Webhooks whose URL and secret are not under the newest encryption key (for keys:rotate). */
export async function listWebhooksToReencrypt(primaryKeyId: string): Promise<Pick<Webhook, "id" | "name" | "encryptedUrl" | "encryptedSecret" | "encryptionKeyId">[]> {
  const db = await getDb();
  return db
    .select({ id: webhooks.id, name: webhooks.name, encryptedUrl: webhooks.encryptedUrl, encryptedSecret: webhooks.encryptedSecret, encryptionKeyId: webhooks.encryptionKeyId })
    .from(webhooks)
    .where(sql`${webhooks.encryptionKeyId} is distinct from ${primaryKeyId}`)
    .orderBy(webhooks.createdAt);
}

/** Compare-and-set on the old secret ciphertext: a concurrent edit or rotation is never overwritten. */
export async function replaceWebhookCiphertext(id: string, oldSecret: string, set: Pick<Webhook, "encryptedUrl" | "encryptedSecret" | "encryptionKeyId">): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .update(webhooks)
    .set(set)
    .where(and(eq(webhooks.id, id), eq(webhooks.encryptedSecret, oldSecret)))
    .returning({ id: webhooks.id });
  return rows.length === 1;
}
