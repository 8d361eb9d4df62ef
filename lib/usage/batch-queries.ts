import "server-only";
import { sql } from "drizzle-orm";
import { LATENCY_BOUNDS_MS } from "./histogram";
import type { UsageRecord } from "./record";
import { getDb } from "@/lib/db/client";
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
const HIST = sql.raw(`array[${LATENCY_BOUNDS_MS.map((_, i) => `count(*) filter (where bucket = ${i})`).join(", ")}, count(*) filter (where bucket = ${LATENCY_BOUNDS_MS.length})]::int[]`);

/** The upsert of one rollup table (hourly or daily) from the batch's inserted rows (CTE `b`). */
function rollupUpsert(table: "usage_rollups" | "usage_rollups_daily", period: "hour" | "day") {
  const t = sql.raw(table);
  const p = sql.raw(period);
  return sql`
      insert into ${t} as r (${p}, provider_type, route, model, hub_key_id, provider_key_id, requests, errors, incomplete,
        unpriced_requests, input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost_usd, latency_ms_sum, latency_ms_max, latency_hist)
      select ${p}, provider_type, route, coalesce(model_requested, model_served, ''), hub_key_id, provider_key_id, count(*),
        count(*) filter (where error_code is not null), count(*) filter (where not completed),
        count(*) filter (where cost_source = 'unpriced'), coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),
        coalesce(sum(cached_tokens), 0), coalesce(sum(reasoning_tokens), 0), coalesce(sum(cost_usd), 0), sum(latency_ms),
        max(latency_ms), ${HIST}
      from b
      group by 1, 2, 3, 4, 5, 6
      on conflict (${p}, provider_type, route, model, hub_key_id, provider_key_id) do update set
        requests = r.requests + excluded.requests,
        errors = r.errors + excluded.errors,
        incomplete = r.incomplete + excluded.incomplete,
        unpriced_requests = r.unpriced_requests + excluded.unpriced_requests,
        input_tokens = r.input_tokens + excluded.input_tokens,
        output_tokens = r.output_tokens + excluded.output_tokens,
        cached_tokens = r.cached_tokens + excluded.cached_tokens,
        reasoning_tokens = r.reasoning_tokens + excluded.reasoning_tokens,
        cost_usd = r.cost_usd + excluded.cost_usd,
        latency_ms_sum = r.latency_ms_sum + excluded.latency_ms_sum,
        latency_ms_max = greatest(r.latency_ms_max, excluded.latency_ms_max),
        latency_hist = (select array_agg(coalesce(x, 0) + coalesce(y, 0) order by i)
                        from unnest(r.latency_hist, excluded.latency_hist) with ordinality as h(x, y, i))`;
}

/**
 * Writes a batch of records, their hourly and daily rollups and each hub key's month total in ONE statement
 * (one round trip, one transaction): the rollups are built from what the insert returned, so they
 * always equal the records. A record already stored (same started_at and id: a retried batch whose
 * first attempt did commit) is skipped and counted nowhere, so retrying is safe.
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
        "reasoningTokens" int, "costUsd" numeric, "costSource" text, completed boolean)
    ), ins as (
      insert into usage_records (id, request_id, started_at, hub_key_id, provider_key_id, provider_type, route, endpoint,
        model_requested, model_served, stream, status_code, error_code, latency_ms, ttfb_ms, input_tokens, output_tokens,
        cached_tokens, reasoning_tokens, cost_usd, cost_source, completed)
      select id, "requestId", "startedAt", "hubKeyId", "providerKeyId", "providerType", route, endpoint, "modelRequested",
        "modelServed", stream, "statusCode", "errorCode", "latencyMs", "ttfbMs", "inputTokens", "outputTokens", "cachedTokens",
        "reasoningTokens", "costUsd", "costSource", completed
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
