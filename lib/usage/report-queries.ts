import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { BUCKETS } from "./histogram";
import { getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { ROLLUP_FIGURE_COLUMNS, ROLLUP_GROUP_COLUMNS } from "@/lib/db/schema-usage";

/** Totals of a set of rollup rows, with the summed latency histogram. */
export interface RollupTotals {
  requests: number;
  errors: number;
  incomplete: number;
  unpricedRequests: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  costUsd: number;
  latencyMsSum: number;
  latencyMsMax: number;
  hist: number[];
}

export interface GroupedTotals extends RollupTotals {
  /** The group's columns (route, provider_type, model, hub_key_id, provider_key_id, names…). */
  key: Record<string, string | null>;
  /** Series only: the start of the hour or day. */
  t?: string;
}

export type ReportGroup = "provider" | "model" | "hub_key" | "provider_key" | "source";

// the histogram summed position by position: no unnest, so a year of rollups is one pass
const HIST = sql.raw(`array[${Array.from({ length: BUCKETS }, (_, i) => `coalesce(sum(r.latency_hist[${i + 1}]), 0)`).join(", ")}]::float8[]`);
const TOTALS = sql`coalesce(sum(r.requests), 0)::float8 as requests, coalesce(sum(r.errors), 0)::float8 as errors,
  coalesce(sum(r.incomplete), 0)::float8 as incomplete, coalesce(sum(r.unpriced_requests), 0)::float8 as unpriced_requests,
  coalesce(sum(r.input_tokens), 0)::float8 as input_tokens, coalesce(sum(r.output_tokens), 0)::float8 as output_tokens,
  coalesce(sum(r.cached_tokens), 0)::float8 as cached_tokens, coalesce(sum(r.reasoning_tokens), 0)::float8 as reasoning_tokens,
  coalesce(sum(r.cost_usd), 0)::float8 as cost_usd, coalesce(sum(r.latency_ms_sum), 0)::float8 as latency_ms_sum,
  coalesce(max(r.latency_ms_max), 0)::float8 as latency_ms_max, ${HIST} as hist`;

const DAY_MS = 24 * 3600 * 1000;
const ROLLUP_COLS = sql.raw([...ROLLUP_GROUP_COLUMNS, ...ROLLUP_FIGURE_COLUMNS].join(", "));

/**
 * The rollup rows that cover [from, to), as a subquery `r` with an `hour` column: whole UTC days
 * from the daily table, the partial days at the edges from the hourly one. A row counts when its
 * period starts inside the range (rollups cannot split an hour). `providerKeyId` keeps one provider key's rows.
 */
export function rollupSource(from: Date, to: Date, hubKeyId?: string, providerKeyId?: string): SQL {
  const f = from.getTime();
  const t = to.getTime();
  const dayStart = Math.ceil(f / DAY_MS) * DAY_MS;
  const dayEnd = Math.floor(t / DAY_MS) * DAY_MS;
  const key = sql`${hubKeyId ? sql` and hub_key_id = ${hubKeyId}::uuid` : sql``}${providerKeyId ? sql` and provider_key_id = ${providerKeyId}::uuid` : sql``}`;
  const ts = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;
  const hourly = (a: number, b: number) => sql`select * from usage_rollups where hour >= ${ts(a)} and hour < ${ts(b)}${key}`;
  if (dayStart >= dayEnd) return sql`(${hourly(f, t)}) r`;
  return sql`(
    select hour, ${ROLLUP_COLS} from usage_rollups where ((hour >= ${ts(f)} and hour < ${ts(dayStart)}) or (hour >= ${ts(dayEnd)} and hour < ${ts(t)}))${key}
    union all
    select day as hour, ${ROLLUP_COLS} from usage_rollups_daily where day >= ${ts(dayStart)} and day < ${ts(dayEnd)}${key}
  ) r`;
}

const g = globalThis as unknown as { __llmhubHubKeysTable?: boolean };

/** Whether the hub_keys table exists (it comes with the hub keys feature), to show key names. */
async function hasHubKeys(): Promise<boolean> {
  if (g.__llmhubHubKeysTable) return true;
  const db = await getDb();
  const [row] = rowsOf<{ ok: boolean }>(await db.execute(sql`select to_regclass('public.hub_keys') is not null as ok`));
  g.__llmhubHubKeysTable = Boolean(row?.ok) || undefined; // a missing table is asked again: it may be migrated in later
  return Boolean(row?.ok);
}

/** The group's select list, joins and group-by list (over the rollup subquery `r`). */
export async function groupSql(group: ReportGroup | null): Promise<{ cols: SQL; joins: SQL; by: SQL }> {
  switch (group) {
    case "provider":
      return { cols: sql`r.route, min(r.provider_type) as provider_type,`, joins: sql``, by: sql`r.route` };
    case "model":
      return { cols: sql`r.route, r.model,`, joins: sql``, by: sql`r.route, r.model` };
    case "hub_key":
      if (await hasHubKeys()) return { cols: sql`r.hub_key_id, min(hk.name) as hub_key_name,`, joins: sql`left join hub_keys hk on hk.id = r.hub_key_id`, by: sql`r.hub_key_id` };
      return { cols: sql`r.hub_key_id,`, joins: sql``, by: sql`r.hub_key_id` };
    case "provider_key":
      return {
        cols: sql`r.provider_key_id, min(pk.name) as provider_name, min(r.provider_type) as provider_type,`,
        joins: sql`left join provider_keys pk on pk.id = r.provider_key_id`,
        by: sql`r.provider_key_id`,
      };
    case "source":
      return { cols: sql`r.source,`, joins: sql``, by: sql`r.source` };
    default:
      return { cols: sql``, joins: sql``, by: sql`` };
  }
}

const NUMERIC = new Set(["requests", "errors", "incomplete", "unpriced_requests", "input_tokens", "output_tokens", "cached_tokens", "reasoning_tokens", "cost_usd", "latency_ms_sum", "latency_ms_max", "hist", "t"]);

function toTotals(r: Record<string, unknown>): GroupedTotals {
  const key: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(r)) if (!NUMERIC.has(k)) key[k] = v === null || v === undefined ? null : String(v);
  const hist = (typeof r.hist === "string" ? JSON.parse(`[${r.hist.slice(1, -1)}]`) : ((r.hist as unknown[] | undefined) ?? [])).map(Number);
  return {
    key,
    ...(r.t !== undefined ? { t: new Date(r.t as string).toISOString() } : {}),
    requests: Number(r.requests),
    errors: Number(r.errors),
    incomplete: Number(r.incomplete),
    unpricedRequests: Number(r.unpriced_requests),
    inputTokens: Number(r.input_tokens),
    outputTokens: Number(r.output_tokens),
    cachedTokens: Number(r.cached_tokens),
    reasoningTokens: Number(r.reasoning_tokens),
    costUsd: Number(r.cost_usd),
    latencyMsSum: Number(r.latency_ms_sum),
    latencyMsMax: Number(r.latency_ms_max),
    hist,
  };
}

/** Totals per group over [from, to), most requests first; `group` null gives one row of totals. `providerKeyId`: one provider key only. */
export async function sumRollups(from: Date, to: Date, group: ReportGroup | null, providerKeyId?: string): Promise<GroupedTotals[]> {
  const db = await getDb();
  const gs = await groupSql(group);
  const rows = await db.execute(sql`
    select ${gs.cols} ${TOTALS}
    from ${rollupSource(from, to, undefined, providerKeyId)} ${gs.joins}
    ${group ? sql`group by ${gs.by} order by requests desc, ${gs.by}` : sql``}`);
  return rowsOf<Record<string, unknown>>(rows).map(toTotals);
}

/** Totals per hour or day (UTC) and group over [from, to), in time order. */
export async function seriesRollups(from: Date, to: Date, interval: "hour" | "day", group: ReportGroup | null): Promise<GroupedTotals[]> {
  const db = await getDb();
  const gs = await groupSql(group);
  const bucket = interval === "hour" ? sql`r.hour` : sql`date_trunc('day', r.hour, 'UTC')`;
  const rows = await db.execute(sql`
    select ${bucket} as t, ${gs.cols} ${TOTALS}
    from ${interval === "hour" ? sql`(select * from usage_rollups where hour >= ${from.toISOString()}::timestamptz and hour < ${to.toISOString()}::timestamptz) r` : rollupSource(from, to)} ${gs.joins}
    group by 1${group ? sql`, ${gs.by}` : sql``}
    order by 1${group ? sql`, ${gs.by}` : sql``}`);
  return rowsOf<Record<string, unknown>>(rows).map(toTotals);
}

/** A hub key's totals over [from, to) from its rollups (the per-key index). */
export async function sumKeyRollups(hubKeyId: string, from: Date, to: Date): Promise<GroupedTotals> {
  const db = await getDb();
  const rows = await db.execute(sql`
    select ${TOTALS} from ${rollupSource(from, to, hubKeyId)}`);
  return toTotals(rowsOf<Record<string, unknown>>(rows)[0] ?? {});
}
