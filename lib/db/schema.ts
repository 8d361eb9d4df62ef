import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

import type { ProviderCredits } from "@/lib/providers/types";

/** What a hub key may be used for (lib/hub-keys/scopes.ts). */
export type HubKeyScope = "gateway" | "ingest";

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull().unique(),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ["admin", "viewer"] }).notNull(),
    disabled: boolean("disabled").notNull().default(false),
    /** Set by a generated one-time password: until the user picks their own, they can do nothing else. */
    mustChangePassword: boolean("must_change_password").notNull().default(false),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [check("users_role_check", sql`${t.role} in ('admin', 'viewer')`)],
);

/** Server-side sessions: the cookie holds a random token; only its SHA-256 is stored here. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: tstz("created_at").notNull().defaultNow(),
    expiresAt: tstz("expires_at").notNull(),
    /** Last request seen on this session, written at most once a minute (lib/auth/session.ts). */
    lastSeenAt: tstz("last_seen_at").notNull().defaultNow(),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId)],
);

/**
 * One row per built-in provider (seeded at start) and one per custom endpoint. `slug` is the
 * identity the upsert conflicts on: the provider type for built-ins, `custom:<lower(name)>` otherwise.
 */
export const providerKeys = pgTable(
  "provider_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull().unique(),
    providerType: text("provider_type").notNull(),
    name: text("name").notNull(),
    encryptedKey: text("encrypted_key"),
    encryptionKeyId: text("encryption_key_id"),
    keyPreview: text("key_preview"),
    keyFingerprint: text("key_fingerprint"),
    enabled: boolean("enabled").notNull().default(true),
    priority: integer("priority").notNull().default(0),
    config: jsonb("config").$type<ProviderConfig>().notNull().default({}),
    healthStatus: text("health_status", { enum: ["healthy", "degraded", "unhealthy", "unknown"] })
      .notNull()
      .default("unknown"),
    testStatus: text("test_status", { enum: ["success", "failed"] }),
    lastTested: tstz("last_tested"),
    lastTest: jsonb("last_test").$type<StoredTestResult>(),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
    updatedBy: text("updated_by"),
    /** When the background checker should next look at this key; null until first scheduled. */
    nextCheckAt: tstz("next_check_at"),
    /** Consecutive degraded scheduled checks: the checker backs off 2^n intervals (capped). */
    checkBackoff: integer("check_backoff").notNull().default(0),
    /** What admins were last told about this key: nothing yet, that it went bad, or that it is degraded. */
    alertState: text("alert_state", { enum: ["none", "unhealthy", "degraded"] })
      .notNull()
      .default("none"),
    /** Start of the current run of degraded checks (the degraded alert waits ALERT_DEGRADED_AFTER_SECONDS). */
    degradedSince: tstz("degraded_since"),
    /** When the last alert (or reminder) about this key went out, and how many reminders since the first. */
    lastAlertAt: tstz("last_alert_at"),
    alertReminders: integer("alert_reminders").notNull().default(0),
    /** Whether admins were told this key's credit is low (OpenRouter's `limit_remaining` under OPENROUTER_LOW_CREDIT_USD). */
    creditAlertState: text("credit_alert_state", { enum: ["none", "low"] })
      .notNull()
      .default("none"),
  },
  (t) => [
    index("provider_keys_provider_type_idx").on(t.providerType),
    index("provider_keys_next_check_idx").on(t.nextCheckAt),
    index("provider_keys_fingerprint_idx").on(t.keyFingerprint),
  ],
);

/** Append-only: a trigger in the migrations refuses UPDATE, DELETE and TRUNCATE. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: tstz("at").notNull().defaultNow(),
    actorId: uuid("actor_id"),
    actorEmail: text("actor_email"),
    action: text("action").notNull(),
    target: text("target"),
    providerType: text("provider_type"),
    outcome: text("outcome", { enum: ["success", "failure", "denied"] }).notNull(),
    statusCode: integer("status_code"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    keyFingerprint: text("key_fingerprint"),
    detail: jsonb("detail").$type<Record<string, unknown>>(),
  },
  // the audit log's filters (GET /api/v1/audit): each with the id, the order its pages are read in;
  // text_pattern_ops so that a prefix (`like 'provider_key.%'`) can use the index whatever the collation
  // (an exact action uses the same index: every audited write updates one index fewer)
  (t) => [
    index("audit_events_at_idx").on(t.at),
    index("audit_events_action_prefix_idx").on(t.action.op("text_pattern_ops"), t.id),
    index("audit_events_actor_idx").on(t.actorEmail.op("text_pattern_ops"), t.id),
    index("audit_events_target_idx").on(t.target.op("text_pattern_ops"), t.id),
    index("audit_events_provider_idx").on(t.providerType, t.id),
    index("audit_events_outcome_idx").on(t.outcome, t.id),
  ],
);

/**
 * One row per check of a stored or environment key (scheduled, manual, or the test of a save):
 * the key's health history. Pruned after HEALTH_HISTORY_RETENTION_DAYS.
 */
export const healthChecks = pgTable(
  "health_checks",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    providerKeyId: uuid("provider_key_id")
      .notNull()
      .references(() => providerKeys.id, { onDelete: "cascade" }),
    checkedAt: tstz("checked_at").notNull().defaultNow(),
    trigger: text("trigger", { enum: ["scheduled", "manual", "save"] }).notNull(),
    outcome: text("outcome", { enum: ["healthy", "degraded", "unhealthy", "unknown"] }).notNull(),
    errorCode: text("error_code"),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms"),
    modelsFound: integer("models_found"),
    /** What the provider reported about the key's credit with this check (OpenRouter's `GET /api/v1/key`); null elsewhere. */
    credits: jsonb("credits").$type<ProviderCredits>(),
  },
  (t) => [
    index("health_checks_key_time_idx").on(t.providerKeyId, t.checkedAt),
    index("health_checks_time_idx").on(t.checkedAt),
    // each key's last failure, for the tab, without reading its healthy checks
    index("health_checks_failures_idx").on(t.providerKeyId, t.checkedAt).where(sql`${t.outcome} in ('degraded', 'unhealthy')`),
  ],
);

/**
 * Leader leases for background work: exactly one holder per name at a time. `epoch` grows on every
 * change of holder, and writes made under a lease check holder + epoch (fencing), so a runner that
 * was paused past its lease cannot write stale results.
 */
export const schedulerLeases = pgTable("scheduler_leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  epoch: bigint("epoch", { mode: "number" }).notNull(),
  expiresAt: tstz("expires_at").notNull(),
});

/**
 * Alerts: one row per transition of a key (went bad, recovered, degraded too long, reminders). The
 * in-app notifications are these rows with each admin's read marks; webhook deliveries point here.
 */
export const alerts = pgTable(
  "alerts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    createdAt: tstz("created_at").notNull().defaultNow(),
    kind: text("kind", { enum: ["key_unhealthy", "key_degraded", "key_recovered", "key_still_unhealthy", "key_still_degraded", "budget_warning", "budget_exceeded", "key_low_credit", "key_credit_recovered"] }).notNull(),
    providerKeyId: uuid("provider_key_id").references(() => providerKeys.id, { onDelete: "set null" }),
    providerType: text("provider_type").notNull(),
    providerName: text("provider_name").notNull(),
    healthStatus: text("health_status").notNull(),
    trigger: text("trigger").notNull(),
    errorCode: text("error_code"),
    message: text("message").notNull(),
    /** Budget alerts: the hub key whose monthly spend crossed 80% or 100% (no foreign key: keys may go, alerts stay). */
    hubKeyId: uuid("hub_key_id"),
  },
  (t) => [index("alerts_created_idx").on(t.createdAt), index("alerts_key_idx").on(t.providerKeyId)],
);

/** Which admin has read which alert. */
export const notificationReads = pgTable(
  "notification_reads",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    alertId: bigint("alert_id", { mode: "number" })
      .notNull()
      .references(() => alerts.id, { onDelete: "cascade" }),
    readAt: tstz("read_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.alertId] })],
);

/**
 * Outbound webhooks (generic JSON or Slack-compatible). The URL (a Slack URL is itself a credential)
 * and the signing secret are stored encrypted under the same keyring as provider keys.
 */
export const webhooks = pgTable("webhooks", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  kind: text("kind", { enum: ["generic", "slack"] }).notNull(),
  encryptedUrl: text("encrypted_url").notNull(),
  urlPreview: text("url_preview").notNull(),
  encryptedSecret: text("encrypted_secret").notNull(),
  /** The keyring entry both encrypted columns were written with. */
  encryptionKeyId: text("encryption_key_id"),
  secretPreview: text("secret_preview").notNull(),
  enabled: boolean("enabled").notNull().default(true),
  createdAt: tstz("created_at").notNull().defaultNow(),
  updatedAt: tstz("updated_at").notNull().defaultNow(),
  updatedBy: text("updated_by"),
});

/**
 * One message to one webhook (an alert, or a test), retried with exponential backoff until it is
 * delivered or out of attempts. `body` is exactly what is sent (and signed) on every attempt.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    alertId: bigint("alert_id", { mode: "number" }).references(() => alerts.id, { onDelete: "set null" }),
    event: text("event").notNull(),
    body: text("body").notNull(),
    status: text("status", { enum: ["pending", "delivered", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: tstz("next_attempt_at"),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: tstz("created_at").notNull().defaultNow(),
    deliveredAt: tstz("delivered_at"),
  },
  (t) => [index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt), index("webhook_deliveries_webhook_idx").on(t.webhookId, t.createdAt)],
);

/** Every attempt at a delivery: when, what came back, how long it took. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    at: tstz("at").notNull().defaultNow(),
    success: boolean("success").notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    latencyMs: integer("latency_ms"),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId)],
);

/**
 * Hub keys: what apps present to the gateway (gateway.md section 1). Only the key's SHA-256 is
 * stored, with a preview to recognise it by; a deleted key keeps its row (`deleted_at`) so that usage
 * history still names it.
 */
export const hubKeys = pgTable(
  "hub_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    owner: text("owner"),
    /** Route and model patterns (`openai/*`, `groq/llama-*`); empty allows every configured provider. */
    allowed: jsonb("allowed").$type<string[]>().notNull().default([]),
    /** What the key may do: `gateway` (call LLMs through the hub), `ingest` (post usage records); at least one. */
    scopes: jsonb("scopes").$type<HubKeyScope[]>().notNull().default(["gateway"]),
    rpmLimit: integer("rpm_limit"),
    monthlyBudgetUsd: numeric("monthly_budget_usd", { precision: 14, scale: 4, mode: "number" }),
    expiresAt: tstz("expires_at"),
    enabled: boolean("enabled").notNull().default(true),
    keyHash: text("key_hash").notNull(),
    keyPreview: text("key_preview").notNull(),
    createdAt: tstz("created_at").notNull().defaultNow(),
    createdBy: text("created_by"),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
    updatedBy: text("updated_by"),
    lastUsedAt: tstz("last_used_at"),
    deletedAt: tstz("deleted_at"),
  },
  (t) => [uniqueIndex("hub_keys_key_hash_idx").on(t.keyHash), index("hub_keys_created_idx").on(t.createdAt)],
);

export interface ProviderConfig {
  base_url?: string;
}

export interface StoredTestResult {
  latency_ms: number | null;
  models_found: number | null;
  error: string | null;
  error_code: string | null;
  status_code: number | null;
  /** OpenRouter only: the key's credit as the check read it (absent on rows written before credits were kept). */
  credits?: ProviderCredits | null;
}

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Session = typeof sessions.$inferSelect;
export type ProviderKey = typeof providerKeys.$inferSelect;
export type NewProviderKey = typeof providerKeys.$inferInsert;
export type AuditEvent = typeof auditEvents.$inferSelect;
export type HealthCheck = typeof healthChecks.$inferSelect;
export type NewHealthCheck = typeof healthChecks.$inferInsert;
export type NewAuditEvent = typeof auditEvents.$inferInsert;
export type Alert = typeof alerts.$inferSelect;
export type NewAlert = typeof alerts.$inferInsert;
export type Webhook = typeof webhooks.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookAttempt = typeof webhookAttempts.$inferSelect;
export type HubKey = typeof hubKeys.$inferSelect;
export type NewHubKey = typeof hubKeys.$inferInsert;

export * from "./schema-usage";
