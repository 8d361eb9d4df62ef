import "server-only";
import { chartRollups } from "./dashboard-queries";
import { addTotals, bucketsOf, foldSeries, identityOf, intervalOf } from "./dashboard-shape";
import { figuresOf } from "./report";
import { sumRollups } from "./report-queries";
import type { Range, SummaryGroup } from "./report-query";

const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 1e6) / 1e6 : null);

/**
 * The Usage tab's one request (docs/api.md, "Usage dashboard"): the range's totals against the
 * previous range of the same length, the groups ranked, the chart's series per hour or day (top
 * groups plus "Other"), and error rate and latency per provider. Four queries in parallel over the
 * rollups; the range's totals are added up from its groups rather than read again. `providerKeyId`
 * keeps one provider key's usage (each Provider Keys card links there).
 */
export async function usageDashboard(q: Range & { groupBy: SummaryGroup; providerKeyId?: string }) {
  const span = q.to.getTime() - q.from.getTime();
  const prev = { from: new Date(q.from.getTime() - span), to: q.from };
  const interval = intervalOf(q.from, q.to);
  const [groups, prevGroups, byProvider, cells] = await Promise.all([
    sumRollups(q.from, q.to, q.groupBy, q.providerKeyId),
    sumRollups(prev.from, prev.to, null, q.providerKeyId),
    q.groupBy === "provider" ? null : sumRollups(q.from, q.to, "provider", q.providerKeyId),
    chartRollups(q.from, q.to, interval, q.groupBy, q.providerKeyId),
  ]);
  const ranked = groups.map((g) => ({ ...identityOf(q.groupBy, g.key), ...g.key, ...figuresOf(g) }));
  const totals = groups.length ? figuresOf(addTotals(groups)) : null;
  const prevTotals = prevGroups[0] && prevGroups[0].requests > 0 ? figuresOf(prevGroups[0]) : null;
  const buckets = bucketsOf(q.from, q.to, interval);
  const series = foldSeries(
    buckets,
    ranked,
    cells.map((c) => ({ t: c.t, id: identityOf(q.groupBy, c.key).id, requests: c.requests, tokens: c.inputTokens + c.outputTokens, costUsd: c.costUsd })),
  );
  const providers = (byProvider ?? groups).map((g) => {
    const f = figuresOf(g);
    return { route: g.key.route ?? null, provider_type: g.key.provider_type ?? null, requests: f.requests, errors: f.errors, error_rate: ratio(f.errors, f.requests), latency_ms: f.latency_ms };
  });
  return {
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    group_by: q.groupBy,
    provider_key: q.providerKeyId ?? null,
    interval,
    totals: totals && { ...totals, error_rate: ratio(totals.errors, totals.requests) },
    previous: { from: prev.from.toISOString(), to: prev.to.toISOString(), totals: prevTotals && { ...prevTotals, error_rate: ratio(prevTotals.errors, prevTotals.requests) } },
    groups: ranked,
    chart: { buckets, series },
    providers,
  };
}

export type UsageDashboard = Awaited<ReturnType<typeof usageDashboard>>;
