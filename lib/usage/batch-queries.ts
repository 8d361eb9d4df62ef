import "server-only";
import { sql } from "drizzle-orm";
import { LATENCY_BOUNDS_MS } from "./histogram";
import type { UsageRecord } from "./record";
import { getDb } from "@/lib/db/client";
import { ROLLUP_FIGURE_COLUMNS, ROLLUP_GROUP_COLUMNS } from "@/lib/db/schema-usage";
import { rowsOf } from "@/lib/db/rows";

/** A hub key's month total after a batch was added to it. */
export interface KeyMonthTotal {
  hubKeyId: string;
  /** First day of the month, `YYYY-MM-01`. */
  month: string;
  costUsd: number;
  requests: number;
}

const BOUNDS = sql.raw(`'{${LATENCY_BOUNDS_MS.join(",")}}'::float8[]`);
// one count per bucket, in bucket order: width_bucket numbers them 0..n
const HIST_SQL = `array[${LATENCY_BOUNDS_MS.map((_, i) => `count(*) filter (where bucket = ${i})`).join(", ")}, count(*) filter (where bucket = ${LATENCY_BOUNDS_MS.length})]::int[]`;

/** How each rollup column is made from the batch's rows (`b`), keyed by the schema's column names. */
const GROUP_FROM: Readonly<Record<string, string>> = {
  provider_type: "provider_type",
  route: "route",
  model: "coalesce(model_requested, model_served, '')",
  hub_key_id: "hub_key_id",
  provider_key_id: "provider_key_id",
  source: "source",
};
/** Each figure: what the batch adds up to, and how a stored row takes it in (`r`, `excluded`). */
const FIGURE_FROM: Readonly<Record<string, { from: string; merge: string }>> = {
  requests: { from: "count(*)", merge: "r.requests + excluded.requests" },
  errors: { from: "count(*) filter (where error_code is not null)", merge: "r.errors + excluded.errors" },
  incomplete: { from: "count(*) filter (where not completed)", merge: "r.incomplete + excluded.incomplete" },
  unpriced_requests: { from: "count(*) filter (where cost_source = 'unpriced')", merge: "r.unpriced_requests + excluded.unpriced_requests" },
  input_tokens: { from: "coalesce(sum(input_tokens), 0)", merge: "r.input_tokens + excluded.input_tokens" },
  output_tokens: { from: "coalesce(sum(output_tokens), 0)", merge: "r.output_tokens + excluded.output_tokens" },
  cached_tokens: { from: "coalesce(sum(cached_tokens), 0)", merge: "r.cached_tokens + excluded.cached_tokens" },
  reasoning_tokens: { from: "coalesce(sum(reasoning_tokens), 0)", merge: "r.reasoning_tokens + excluded.reasoning_tokens" },
  cost_usd: { from: "coalesce(sum(cost_usd), 0)", merge: "r.cost_usd + excluded.cost_usd" },
  latency_ms_sum: { from: "sum(latency_ms)", merge: "r.latency_ms_sum + excluded.latency_ms_sum" },
  latency_ms_max: { from: "max(latency_ms)", merge: "greatest(r.latency_ms_max, excluded.latency_ms_max)" },
  latency_hist: {
    from: HIST_SQL,
    merge: "(select array_agg(coalesce(x, 0) + coalesce(y, 0) order by i) from unnest(r.latency_hist, excluded.latency_hist) with ordinality as h(x, y, i))",
  },
};

/** `spec[name]` for every column of the schema's list: a column the schema has and the map lacks fails at load. */
function each<T>(names: readonly string[], spec: Readonly<Record<string, T>>, part: (name: string, v: T) => string): string {
  return names
    .map((n) => {
      const v = spec[n];
      if (v === undefined) throw new Error(`usage rollups: no batch expression for column ${n}`);
      return part(n, v);
    })
    .join(", ");
}

const GROUPS = ROLLUP_GROUP_COLUMNS.join(", ");
const COLUMNS = [...ROLLUP_GROUP_COLUMNS, ...ROLLUP_FIGURE_COLUMNS].join(", ");
const SELECTED = `${each(ROLLUP_GROUP_COLUMNS, GROUP_FROM, (_, e) => e)}, ${each(ROLLUP_FIGURE_COLUMNS, FIGURE_FROM, (_, f) => f.from)}`;
const BY_GROUP = Array.from({ length: ROLLUP_GROUP_COLUMNS.length + 1 }, (_, i) => i + 1).join(", ");
const MERGED = each(ROLLUP_FIGURE_COLUMNS, FIGURE_FROM, (n, f) => `${n} = ${f.merge}`);

/** The upsert of one rollup table (hourly or daily) from the batch's inserted rows (CTE `b`). */
const rollupUpsert = (table: "usage_rollups" | "usage_rollups_daily", period: "hour" | "day") =>
  sql.raw(`
      insert into ${table} as r (${period}, ${COLUMNS})
      select ${period}, ${SELECTED}
      from b
      group by ${BY_GROUP}
      on conflict (${period}, ${GROUPS}) do update set ${MERGED}`);

/**
 * Writes a batch of records, their hourly and daily rollups and each hub key's month total in ONE statement
 * (one round trip, one transaction): the rollups are built from what the insert returned, so they
 * always equal the records. A record already stored (same started_at and id: a retried batch whose
 * first attempt did commit; or same started_at and request_id: an ingested record sent again) is
 * skipped and counted nowhere, so retrying is safe.
 */
export async function insertUsageBatch(records: readonly UsageRecord[]): Promise<{ inserted: number; months: KeyMonthTotal[] }> {
  if (records.length === 0) return { inserted: 0, months: [] };
  const db = await getDb();
  const payload = JSON.stringify(records);
  const result = await db.execute(sql`
    with input as (
      select * from json_to_recordset(${payload}::json) as x(
        id uuid, "requestId" text, "startedAt" timestamptz, "hubKeyId" uuid, "providerKeyId" uuid, "providerType" text,
        route text, endpoint text, "modelRequested" text, "modelServed" text, stream boolean, "statusCode" int,
        "errorCode" text, "latencyMs" float8, "ttfbMs" float8, "inputTokens" int, "outputTokens" int, "cachedTokens" int,
        "reasoningTokens" int, "costUsd" numeric, "costSource" text, completed boolean, source text)
    ), ins as (
      insert into usage_records (id, request_id, started_at, hub_key_id, provider_key_id, provider_type, route, endpoint,
        model_requested, model_served, stream, status_code, error_code, latency_ms, ttfb_ms, input_tokens, output_tokens,
        cached_tokens, reasoning_tokens, cost_usd, cost_source, completed, source)
      select id, "requestId", "startedAt", "hubKeyId", "providerKeyId", "providerType", route, endpoint, "modelRequested",
        "modelServed", stream, "statusCode", "errorCode", "latencyMs", "ttfbMs", "inputTokens", "outputTokens", "cachedTokens",
        "reasoningTokens", "costUsd", "costSource", completed, coalesce(source, 'gateway')
      from input
      on conflict do nothing
      returning *
    ), b as (
      select *, date_trunc('hour', started_at, 'UTC') as hour, date_trunc('day', started_at, 'UTC') as day,
        width_bucket(latency_ms, ${BOUNDS}) as bucket
      from ins
    ), roll as (${rollupUpsert("usage_rollups", "hour")}
    ), rollday as (${rollupUpsert("usage_rollups_daily", "day")}
    ), km as (
      insert into usage_key_months as m (hub_key_id, month, requests, input_tokens, output_tokens, cost_usd)
      select hub_key_id, (date_trunc('month', started_at, 'UTC') at time zone 'UTC')::date, count(*),
        coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0), coalesce(sum(cost_usd), 0)
      from ins where hub_key_id is not null
      group by 1, 2
      on conflict (hub_key_id, month) do update set
        requests = m.requests + excluded.requests,
        input_tokens = m.input_tokens + excluded.input_tokens,
        output_tokens = m.output_tokens + excluded.output_tokens,
        cost_usd = m.cost_usd + excluded.cost_usd,
        updated_at = now()
      returning hub_key_id, to_char(month, 'YYYY-MM-DD') as month, cost_usd, requests
    )
    select (select count(*) from ins)::int as inserted,
      coalesce((select json_agg(json_build_object('hubKeyId', hub_key_id, 'month', month, 'costUsd', cost_usd, 'requests', requests)) from km), '[]'::json) as months`);
  const row = rowsOf<{ inserted: number; months: KeyMonthTotal[] | string }>(result)[0];
  const months = typeof row?.months === "string" ? (JSON.parse(row.months) as KeyMonthTotal[]) : (row?.months ?? []);
  return { inserted: Number(row?.inserted ?? 0), months: months.map((m) => ({ ...m, costUsd: Number(m.costUsd), requests: Number(m.requests) })) };
}
