import "server-only";
import { type GroupedTotals, seriesRollups, sumKeyRollups, sumRollups } from "@/lib/usage/report-queries";
import { getKeyMonth } from "@/lib/usage/budget-queries";
import { csvLine } from "@/lib/csv";
import { percentile } from "./histogram";
import { monthOf, nextMonthStart } from "./month";
import type { Range, SeriesGroup, SummaryGroup } from "./report-query";

/**
 * The usage API's answers (gateway.md §6), read from the hourly rollups only: totals per group,
 * series per hour or day, the same as CSV, and a hub key's own month. Latency percentiles come from
 * the rollups' histograms (lib/usage/histogram.ts), so they are estimates within a bucket's width.
 */

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** One group's figures as the API shows them. */
export function figuresOf(t: GroupedTotals) {
  return {
    requests: t.requests,
    errors: t.errors,
    incomplete: t.incomplete,
    input_tokens: t.inputTokens,
    output_tokens: t.outputTokens,
    cached_tokens: t.cachedTokens,
    reasoning_tokens: t.reasoningTokens,
    cost_usd: round(t.costUsd, 10),
    /** Requests with no known cost: cost_usd leaves them out, it does not count them as $0. */
    unpriced_requests: t.unpricedRequests,
    latency_ms: {
      avg: t.requests ? round(t.latencyMsSum / t.requests, 1) : null,
      p50: percentile(t.hist, 0.5, t.latencyMsMax),
      p95: percentile(t.hist, 0.95, t.latencyMsMax),
      max: t.requests ? t.latencyMsMax : null,
    },
  };
}

const rangeOut = (r: Range) => ({ from: r.from.toISOString(), to: r.to.toISOString() });

export async function usageSummary(q: Range & { groupBy: SummaryGroup; providerKeyId?: string }) {
  const [groups, [totals]] = await Promise.all([sumRollups(q.from, q.to, q.groupBy, q.providerKeyId), sumRollups(q.from, q.to, null, q.providerKeyId)]);
  return {
    ...rangeOut(q),
    group_by: q.groupBy,
    ...(q.providerKeyId ? { provider_key: q.providerKeyId } : {}),
    groups: groups.map((g) => ({ ...g.key, ...figuresOf(g) })),
    totals: totals ? figuresOf(totals) : null,
  };
}

export async function usageTimeseries(q: Range & { interval: "hour" | "day"; groupBy: SeriesGroup | null }) {
  const rows = await seriesRollups(q.from, q.to, q.interval, q.groupBy);
  const series = new Map<string, { key: Record<string, string | null>; points: unknown[] }>();
  for (const r of rows) {
    const id = JSON.stringify(r.key);
    let s = series.get(id);
    if (!s) series.set(id, (s = { key: r.key, points: [] }));
    s.points.push({ t: r.t, ...figuresOf(r) });
  }
  return { ...rangeOut(q), interval: q.interval, group_by: q.groupBy, series: [...series.values()].map((s) => ({ ...s.key, points: s.points })) };
}

const CSV_FIGURES = ["requests", "errors", "incomplete", "input_tokens", "output_tokens", "cached_tokens", "reasoning_tokens", "cost_usd", "unpriced_requests", "latency_ms_avg", "latency_ms_p50", "latency_ms_p95", "latency_ms_max"] as const;
const CSV_KEYS: Record<SummaryGroup, string[]> = {
  provider: ["route", "provider_type"],
  model: ["route", "model"],
  hub_key: ["hub_key_id", "hub_key_name"],
  provider_key: ["provider_key_id", "provider_name", "provider_type"],
  source: ["source"],
};

/** The summary as CSV lines (header first), for a streamed response. */
export async function* usageCsv(q: Range & { groupBy: SummaryGroup; providerKeyId?: string }): AsyncGenerator<string> {
  const groups = await sumRollups(q.from, q.to, q.groupBy, q.providerKeyId);
  const keys = CSV_KEYS[q.groupBy];
  yield csvLine(["from", "to", ...keys, ...CSV_FIGURES]);
  const from = q.from.toISOString();
  const to = q.to.toISOString();
  for (const g of groups) {
    const f = figuresOf(g);
    const cells = [from, to, ...keys.map((k) => g.key[k] ?? null), f.requests, f.errors, f.incomplete, f.input_tokens, f.output_tokens, f.cached_tokens, f.reasoning_tokens, f.cost_usd, f.unpriced_requests, f.latency_ms.avg, f.latency_ms.p50, f.latency_ms.p95, f.latency_ms.max];
    yield csvLine(cells);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A hub key's usage this calendar month (UTC), for `GET /api/v1/llm/gateway/v1/usage` (the key's
 * own view). Requests and cost come from the same month total the budget check reads; tokens and
 * latency from the key's rollups. Pass the key's budget to get the budget block.
 */
export async function hubKeyMonthUsage(hubKeyId: string, monthlyBudgetUsd: number | null = null, now = new Date()) {
  if (!UUID.test(hubKeyId)) throw new Error("hubKeyMonthUsage: not a hub key id");
  const month = monthOf(now);
  const start = new Date(`${month}T00:00:00Z`);
  const end = nextMonthStart(now);
  const [total, rollups] = await Promise.all([getKeyMonth(hubKeyId, month), sumKeyRollups(hubKeyId, start, end)]);
  const f = figuresOf(rollups);
  return {
    month: month.slice(0, 7),
    period: { from: start.toISOString(), to: end.toISOString() },
    requests: total.requests,
    errors: f.errors,
    input_tokens: total.inputTokens,
    output_tokens: total.outputTokens,
    cached_tokens: f.cached_tokens,
    cost_usd: round(total.costUsd, 10),
    unpriced_requests: f.unpriced_requests,
    latency_ms: f.latency_ms,
    budget:
      monthlyBudgetUsd === null
        ? null
        : { monthly_usd: monthlyBudgetUsd, remaining_usd: round(Math.max(0, monthlyBudgetUsd - total.costUsd), 10), exceeded: total.costUsd >= monthlyBudgetUsd, resets_at: end.toISOString() },
  };
}
