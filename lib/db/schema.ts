import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull().unique(),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ["admin", "viewer"] }).notNull(),
    disabled: boolean("disabled").notNull().default(false),
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
  (t) => [index("audit_events_at_idx").on(t.at), index("audit_events_action_idx").on(t.action)],
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
  },
  (t) => [index("health_checks_key_time_idx").on(t.providerKeyId, t.checkedAt), index("health_checks_time_idx").on(t.checkedAt)],
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

export interface ProviderConfig {
  base_url?: string;
}

export interface StoredTestResult {
  latency_ms: number | null;
  models_found: number | null;
  error: string | null;
  error_code: string | null;
  status_code: number | null;
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
