import { getTableColumns } from "drizzle-orm";
import { bigint, boolean, date, doublePrecision, index, integer, numeric, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * The gateway's usage tables (gateway.md §4–5). Split from schema.ts to keep both files small;
 * schema.ts re-exports everything here, so drizzle-kit and the client see one schema.
 */
const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const usd = (name: string) => numeric(name, { mode: "number" });

/**
 * One row per gateway request, never any prompt or completion text. Partitioned by day on
 * `started_at` (the migration holds the PARTITION BY, which drizzle cannot express): retention drops
 * whole days. `hub_key_id` and `provider_key_id` carry no foreign key, so deleting a key keeps its
 * history and the partitioned table needs no cross-table checks.
 */
export const usageRecords = pgTable(
  "usage_records",
  {
    id: uuid("id").notNull(),
    requestId: text("request_id").notNull(),
    startedAt: tstz("started_at").notNull(),
    hubKeyId: uuid("hub_key_id"),
    providerKeyId: uuid("provider_key_id"),
    providerType: text("provider_type").notNull(),
    route: text("route").notNull(),
    endpoint: text("endpoint", { enum: ["chat", "embeddings", "models", "native"] }).notNull(),
    modelRequested: text("model_requested"),
    modelServed: text("model_served"),
    stream: boolean("stream").notNull(),
    statusCode: integer("status_code").notNull(),
    errorCode: text("error_code"),
    latencyMs: doublePrecision("latency_ms").notNull(),
    ttfbMs: doublePrecision("ttfb_ms"),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    cachedTokens: integer("cached_tokens"),
    reasoningTokens: integer("reasoning_tokens"),
    costUsd: usd("cost_usd"),
    costSource: text("cost_source", { enum: ["provider", "price_table", "unpriced"] }).notNull(),
    completed: boolean("completed").notNull(),
    /** `gateway` (the hub's own requests) or `ingest` (POST /api/v1/llm/usage/events). */
    source: text("source", { enum: ["gateway", "ingest"] })
      .notNull()
      .default("gateway"),
  },
  // the partition key must be part of every unique index of a partitioned table: a request id is
  // unique per start time, which is what makes a re-sent ingest batch insert nothing
  (t) => [primaryKey({ columns: [t.startedAt, t.id] }), uniqueIndex("usage_records_request_idx").on(t.startedAt, t.requestId)],
);

/**
 * Hourly totals per provider route, model, hub key and provider key: what every report reads.
 * Maintained in the same statement that inserts the records, so they always equal the records.
 * `latency_hist` counts requests per fixed latency bucket (LATENCY_BOUNDS_MS below), so percentiles
 * over any range come from sums of these arrays.
 */
/** What a rollup row is grouped by, after its period (`hour` or `day`). */
const rollupGroupColumns = () => ({
  providerType: text("provider_type").notNull(),
  route: text("route").notNull(),
  model: text("model").notNull(),
  hubKeyId: uuid("hub_key_id"),
  providerKeyId: uuid("provider_key_id"),
  /** `gateway` or `ingest` (usage_records.source): ingested usage is counted the same way, and can be told apart. */
  source: text("source", { enum: ["gateway", "ingest"] })
    .notNull()
    .default("gateway"),
});

/** The totals a rollup row holds for its group and period. */
const rollupFigureColumns = () => ({
  requests: integer("requests").notNull(),
  errors: integer("errors").notNull(),
  incomplete: integer("incomplete").notNull(),
  unpricedRequests: integer("unpriced_requests").notNull(),
  inputTokens: bigint("input_tokens", { mode: "number" }).notNull(),
  outputTokens: bigint("output_tokens", { mode: "number" }).notNull(),
  cachedTokens: bigint("cached_tokens", { mode: "number" }).notNull(),
  reasoningTokens: bigint("reasoning_tokens", { mode: "number" }).notNull(),
  costUsd: usd("cost_usd").notNull(),
  latencyMsSum: doublePrecision("latency_ms_sum").notNull(),
  latencyMsMax: doublePrecision("latency_ms_max").notNull(),
  latencyHist: integer("latency_hist").array().notNull(),
});

/**
 * Hourly totals per provider route, model, hub key and provider key: what every report reads.
 * Maintained in the same statement that inserts the records, so they always equal the records.
 * `latency_hist` counts requests per fixed latency bucket (LATENCY_BOUNDS_MS below), so percentiles
 * over any range come from sums of these arrays.
 */
export const usageRollups = pgTable("usage_rollups", { hour: tstz("hour").notNull(), ...rollupGroupColumns(), ...rollupFigureColumns() }, (t) => [
  unique("usage_rollups_group_key").on(t.hour, t.providerType, t.route, t.model, t.hubKeyId, t.providerKeyId, t.source).nullsNotDistinct(),
  index("usage_rollups_hub_key_idx").on(t.hubKeyId, t.hour),
]);

/**
 * The same totals per UTC day (`day` is the day's start): a year is 365 rows per group instead of
 * 8,760, so a long-range summary reads whole days from here and only the partial days at its edges
 * from the hourly rows. Written by the same statement as the hourly rows.
 */
export const usageRollupsDaily = pgTable("usage_rollups_daily", { day: tstz("day").notNull(), ...rollupGroupColumns(), ...rollupFigureColumns() }, (t) => [
  unique("usage_rollups_daily_group_key").on(t.day, t.providerType, t.route, t.model, t.hubKeyId, t.providerKeyId, t.source).nullsNotDistinct(),
  index("usage_rollups_daily_hub_key_idx").on(t.hubKeyId, t.day),
]);

const columnsOf = (fields: object) => Object.keys(fields).map((k) => getTableColumns(usageRollups)[k as keyof typeof usageRollups._.columns].name);
/** The SQL names of the group columns both rollup tables share, in table order. */
export const ROLLUP_GROUP_COLUMNS: readonly string[] = columnsOf(rollupGroupColumns());
/** The SQL names of their figure columns, in table order. */
export const ROLLUP_FIGURE_COLUMNS: readonly string[] = columnsOf(rollupFigureColumns());

/** Each hub key's running total for a calendar month (UTC): the budget check reads one row. */
export const usageKeyMonths = pgTable(
  "usage_key_months",
  {
    hubKeyId: uuid("hub_key_id").notNull(),
    month: date("month", { mode: "string" }).notNull(),
    requests: bigint("requests", { mode: "number" }).notNull(),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull(),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull(),
    costUsd: usd("cost_usd").notNull(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.hubKeyId, t.month] })],
);

/** Budget alerts already raised: the primary key makes each level fire once per key per month, on any instance. */
export const usageBudgetAlerts = pgTable(
  "usage_budget_alerts",
  {
    hubKeyId: uuid("hub_key_id").notNull(),
    month: date("month", { mode: "string" }).notNull(),
    level: text("level", { enum: ["warning", "exceeded"] }).notNull(),
    alertId: bigint("alert_id", { mode: "number" }),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.hubKeyId, t.month, t.level] })],
);

/**
 * Per-million-token prices per `route/model`, seeded from lib/usage/prices.seed.json at start.
 * `origin = 'admin'` rows are never touched by the seed; `removed` is an admin's deletion, kept so
 * that the next start does not seed the price back.
 */
export const modelPrices = pgTable(
  "model_prices",
  {
    route: text("route").notNull(),
    model: text("model").notNull(),
    kind: text("kind", { enum: ["chat", "embedding"] }).notNull(),
    inputPerMtokUsd: usd("input_per_mtok_usd").notNull(),
    outputPerMtokUsd: usd("output_per_mtok_usd").notNull(),
    cachedInputPerMtokUsd: usd("cached_input_per_mtok_usd"),
    source: text("source"),
    sourceDate: date("source_date", { mode: "string" }),
    origin: text("origin", { enum: ["seed", "admin"] }).notNull(),
    removed: boolean("removed").notNull().default(false),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
    updatedBy: text("updated_by"),
  },
  (t) => [primaryKey({ columns: [t.route, t.model] })],
);

export type UsageRecordRow = typeof usageRecords.$inferSelect;
export type NewUsageRecordRow = typeof usageRecords.$inferInsert;
export type UsageRollup = typeof usageRollups.$inferSelect;
export type ModelPrice = typeof modelPrices.$inferSelect;
export type NewModelPrice = typeof modelPrices.$inferInsert;

/**
 * The fixed latency buckets of the hourly rollups. Bucket i counts requests with
 * BOUNDS[i-1] <= latency < BOUNDS[i] (bucket 0: below BOUNDS[0]; the last: BOUNDS.at(-1) and up),
 * which is what PostgreSQL's `width_bucket(latency, BOUNDS)` numbers them. The bounds never change
 * once rows exist: summing stored arrays only makes sense if they all mean the same buckets.
 * Roughly logarithmic from 25 ms to 10 min: gateway requests range from a cached embedding to a
 * long streamed answer, and a percentile is then within about a third of its true value.
 */
export const LATENCY_BOUNDS_MS = [
  25, 50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10_000, 15_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000,
] as const;

export const BUCKETS = LATENCY_BOUNDS_MS.length + 1;

/** Where a record's cost came from (lib/usage/cost.ts decides). */
export type CostSource = "provider" | "price_table" | "unpriced";

/**
 * The usage record of one gateway request: exactly the fields of gateway.md §4, in camelCase.
 * Never any prompt or completion text.
 */
export interface UsageRecord {
  id: string;
  requestId: string;
  startedAt: Date;
  hubKeyId: string | null;
  providerKeyId: string | null;
  providerType: string;
  route: string;
  endpoint: "chat" | "embeddings" | "models" | "native";
  modelRequested: string | null;
  modelServed: string | null;
  stream: boolean;
  statusCode: number;
  errorCode: string | null;
  latencyMs: number;
  ttfbMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedTokens: number | null;
  reasoningTokens: number | null;
  costUsd: number | null;
  costSource: CostSource;
  completed: boolean;
  /** Absent: `gateway`. */
  source?: UsageSource;
}

/** Where a usage record came from. */
export type UsageSource = "gateway" | "ingest";
