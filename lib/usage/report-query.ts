import { z } from "zod";
import { badRequest } from "@/lib/errors";
import { isoInstant as instant, parseQueryParams as parseParams } from "@/lib/schemas/query-params";

/**
 * The query parameters of the usage API (gateway.md §6), checked: a bad one is a 400 that names it.
 * `from`/`to` are ISO dates or date-times (UTC unless they say otherwise); `to` defaults to now and
 * `from` to 30 days before `to`. Rollups are hourly, so `from` counts from the start of its hour.
 */
const DAY_MS = 24 * 3600 * 1000;
export const DEFAULT_RANGE_DAYS = 30;
/** Summary, export and daily series: up to two years (the rollups' default retention). */
export const MAX_RANGE_DAYS = 731;
/** Hourly series: up to 31 days (744 points per series). */
export const MAX_HOURLY_RANGE_DAYS = 31;

export const SUMMARY_GROUPS = ["provider", "model", "hub_key", "provider_key", "source"] as const;
export const SERIES_GROUPS = ["provider", "model", "hub_key", "provider_key", "source"] as const;
export type SummaryGroup = (typeof SUMMARY_GROUPS)[number];
export type SeriesGroup = (typeof SERIES_GROUPS)[number];

export interface Range {
  from: Date;
  to: Date;
}

function rangeOf(from: Date | undefined, to: Date | undefined, maxDays: number, now: Date, what = "the range"): Range {
  const end = to ?? now;
  const start = from ?? new Date(end.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  const hourStart = new Date(Math.floor(start.getTime() / 3600_000) * 3600_000);
  if (hourStart.getTime() >= end.getTime()) throw badRequest("from: must be before to");
  if (end.getTime() - hourStart.getTime() > maxDays * DAY_MS) throw badRequest(`to: ${what} may span at most ${maxDays} days`);
  return { from: hourStart, to: end };
}

const groupBy = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `group_by: must be one of ${values.join(", ")}` });

const providerKey = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { error: "provider_key: must be a provider key's id (a UUID)" })
  .transform((s) => s.toLowerCase())
  .optional();

/** `?from=&to=&group_by=&provider_key=` of the summary, the CSV export and the Usage tab (provider_key: that key's usage only). */
export function parseSummaryQuery(params: URLSearchParams, now = new Date()): Range & { groupBy: SummaryGroup; providerKeyId?: string } {
  const q = parseParams(params, { from: instant("from"), to: instant("to"), group_by: groupBy(SUMMARY_GROUPS).default("provider"), provider_key: providerKey });
  return { ...rangeOf(q.from, q.to, MAX_RANGE_DAYS, now), groupBy: q.group_by, ...(q.provider_key ? { providerKeyId: q.provider_key } : {}) };
}

/** `?from=&to=&interval=hour|day&group_by=` of the time series (no group_by: one series of totals). */
export function parseSeriesQuery(params: URLSearchParams, now = new Date()): Range & { interval: "hour" | "day"; groupBy: SeriesGroup | null } {
  const q = parseParams(params, {
    from: instant("from"),
    to: instant("to"),
    interval: z.enum(["hour", "day"], { error: "interval: must be hour or day" }).default("day"),
    group_by: groupBy(SERIES_GROUPS).optional(),
  });
  const max = q.interval === "hour" ? MAX_HOURLY_RANGE_DAYS : MAX_RANGE_DAYS;
  return { ...rangeOf(q.from, q.to, max, now, `an ${q.interval}ly series`.replace("an dayly", "a daily")), interval: q.interval, groupBy: q.group_by ?? null };
}

/** The Usage tab's one request takes the summary's parameters. */
export const parseDashboardQuery = parseSummaryQuery;
