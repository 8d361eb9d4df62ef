import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { groupSql, type ReportGroup, rollupSource } from "./report-queries";

/** One group's chart figures in one hour or day. */
export interface SeriesCell {
  t: string;
  key: Record<string, string | null>;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/**
 * The chart's figures per hour or day (UTC) and group over [from, to): only the sums a chart draws,
 * no latency histogram, so a week of hourly rollups for thousands of groups stays one cheap pass.
 * Daily buckets read whole days from the daily rollups (rollupSource). `providerKeyId`: one provider key only.
 */
export async function chartRollups(from: Date, to: Date, interval: "hour" | "day", group: ReportGroup, providerKeyId?: string): Promise<SeriesCell[]> {
  const db = await getDb();
  const gs = await groupSql(group);
  const bucket = interval === "hour" ? sql`r.hour` : sql`date_trunc('day', r.hour, 'UTC')`;
  const source = interval === "hour" ? sql`(select * from usage_rollups where hour >= ${from.toISOString()}::timestamptz and hour < ${to.toISOString()}::timestamptz${providerKeyId ? sql` and provider_key_id = ${providerKeyId}::uuid` : sql``}) r` : rollupSource(from, to, undefined, providerKeyId);
  const rows = await db.execute(sql`
    select ${bucket} as t, ${gs.cols} coalesce(sum(r.requests), 0)::float8 as requests,
      coalesce(sum(r.input_tokens), 0)::float8 as input_tokens, coalesce(sum(r.output_tokens), 0)::float8 as output_tokens,
      coalesce(sum(r.cost_usd), 0)::float8 as cost_usd
    from ${source} ${gs.joins}
    group by 1, ${gs.by}
    order by 1`);
  return rowsOf<Record<string, unknown>>(rows).map((r) => {
    const key: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(r)) if (!CHART_NUMERIC.has(k)) key[k] = v === null || v === undefined ? null : String(v);
    return { t: new Date(r.t as string).toISOString(), key, requests: Number(r.requests), inputTokens: Number(r.input_tokens), outputTokens: Number(r.output_tokens), costUsd: Number(r.cost_usd) };
  });
}

const CHART_NUMERIC = new Set(["t", "requests", "input_tokens", "output_tokens", "cost_usd"]);
