import { addHistogram, emptyHistogram } from "./histogram";
import type { GroupedTotals } from "./report-queries";
import type { SummaryGroup } from "./report-query";

/**
 * The pure parts of the Usage tab's answer (lib/usage/dashboard.ts): which interval a range is drawn
 * in, the dense list of buckets, a group's id and label, totals added up from groups, and the chart
 * series folded to the top groups plus "Other".
 */

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
/** Ranges up to 8 days are drawn per hour (7 days is 168 bars), longer ones per UTC day. */
export const HOURLY_UP_TO_MS = 8 * DAY_MS;
/** The chart stacks this many groups; the rest are one "Other" band. */
export const CHART_TOP = 8;
export const OTHER_ID = "__other__";

export type Interval = "hour" | "day";

export const intervalOf = (from: Date, to: Date): Interval => (to.getTime() - from.getTime() <= HOURLY_UP_TO_MS ? "hour" : "day");

/** Every bucket start from the one holding `from` up to `to` (exclusive), gaps included. */
export function bucketsOf(from: Date, to: Date, interval: Interval): string[] {
  const step = interval === "hour" ? HOUR_MS : DAY_MS;
  const out: string[] = [];
  for (let t = Math.floor(from.getTime() / step) * step; t < to.getTime(); t += step) out.push(new Date(t).toISOString());
  return out;
}

export interface GroupIdentity {
  id: string;
  label: string;
  /** The provider type when the group has one (for its logo). */
  provider_type: string | null;
}

/** A group's stable id (what the chart and URL use) and the label a person reads. */
export function identityOf(group: SummaryGroup, key: Record<string, string | null>): GroupIdentity {
  switch (group) {
    case "provider":
      return { id: key.route ?? "?", label: key.route ?? "?", provider_type: key.provider_type ?? key.route ?? null };
    case "model":
      return { id: `${key.route} ${key.model}`, label: key.model ?? "?", provider_type: key.route ?? null };
    case "hub_key":
      return { id: key.hub_key_id ?? "none", label: key.hub_key_name ?? (key.hub_key_id ? `hub key ${key.hub_key_id.slice(0, 8)}` : "no hub key"), provider_type: null };
    case "source":
      // records that came through the gateway, or ingested from elsewhere (POST /usage/events)
      return { id: key.source ?? "gateway", label: key.source === "ingest" ? "Ingested (sent from elsewhere)" : "Through the gateway", provider_type: null };
    case "provider_key":
      return {
        id: key.provider_key_id ?? "environment",
        label: key.provider_name ?? (key.provider_key_id ? `${key.provider_type ?? "provider"} key ${key.provider_key_id.slice(0, 8)}` : `${key.provider_type ?? "provider"} (environment key)`),
        provider_type: key.provider_type ?? null,
      };
  }
}

/** The sum of several groups' totals (requests, tokens, cost and histograms add; the max is the max). */
export function addTotals(groups: readonly GroupedTotals[]): GroupedTotals {
  const t: GroupedTotals = { key: {}, requests: 0, errors: 0, incomplete: 0, unpricedRequests: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0, costUsd: 0, latencyMsSum: 0, latencyMsMax: 0, hist: emptyHistogram() };
  for (const g of groups) {
    t.requests += g.requests;
    t.errors += g.errors;
    t.incomplete += g.incomplete;
    t.unpricedRequests += g.unpricedRequests;
    t.inputTokens += g.inputTokens;
    t.outputTokens += g.outputTokens;
    t.cachedTokens += g.cachedTokens;
    t.reasoningTokens += g.reasoningTokens;
    t.costUsd += g.costUsd;
    t.latencyMsSum += g.latencyMsSum;
    t.latencyMsMax = Math.max(t.latencyMsMax, g.latencyMsMax);
    addHistogram(t.hist, g.hist);
  }
  return t;
}

export interface ChartSeries extends GroupIdentity {
  requests: number[];
  tokens: number[];
  cost_usd: number[];
}

export interface ChartCell {
  t: string;
  id: string;
  requests: number;
  tokens: number;
  costUsd: number;
}

/**
 * Dense series, one value per bucket, for the `top` groups (in rank order) and one "Other" series
 * for the rest (left out when empty).
 */
export function foldSeries(buckets: readonly string[], ranked: readonly GroupIdentity[], cells: readonly ChartCell[], top = CHART_TOP): ChartSeries[] {
  const at = new Map(buckets.map((b, i) => [b, i]));
  const shown = ranked.slice(0, top);
  const index = new Map(shown.map((g, i) => [g.id, i]));
  const zeros = () => new Array<number>(buckets.length).fill(0);
  const series: ChartSeries[] = shown.map((g) => ({ ...g, requests: zeros(), tokens: zeros(), cost_usd: zeros() }));
  const other: ChartSeries = { id: OTHER_ID, label: "Other", provider_type: null, requests: zeros(), tokens: zeros(), cost_usd: zeros() };
  let otherUsed = false;
  for (const c of cells) {
    const i = at.get(c.t);
    if (i === undefined) continue;
    const k = index.get(c.id);
    const s = k === undefined ? other : series[k]!;
    if (k === undefined) otherUsed = true;
    s.requests[i]! += c.requests;
    s.tokens[i]! += c.tokens;
    s.cost_usd[i]! += c.costUsd;
  }
  for (const s of otherUsed ? [...series, other] : series) s.cost_usd = s.cost_usd.map((v) => Math.round(v * 1e8) / 1e8);
  return otherUsed ? [...series, other] : series;
}
