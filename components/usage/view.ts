/**
 * The Usage tab's view as it lives in the URL (`/llm-hub/usage?range=7d&group=model`), so a view can
 * be shared: the range (a preset or custom UTC days), the grouping, the chart's figure and an
 * optional provider key. Anything unknown in the URL falls back to the default rather than failing.
 */
export const RANGES = [
  { id: "24h", label: "24 hours", hours: 24 },
  { id: "7d", label: "7 days", hours: 24 * 7 },
  { id: "30d", label: "30 days", hours: 24 * 30 },
  { id: "custom", label: "Custom", hours: 0 },
] as const;
export const GROUPS = [
  { id: "provider", label: "Provider" },
  { id: "model", label: "Model" },
  { id: "hub_key", label: "Hub key" },
  { id: "provider_key", label: "Provider key" },
  { id: "source", label: "Source" },
] as const;
export const METRICS = [
  { id: "requests", label: "Requests" },
  { id: "tokens", label: "Tokens" },
  { id: "cost", label: "Cost" },
] as const;

export type RangeId = (typeof RANGES)[number]["id"];
export type GroupId = (typeof GROUPS)[number]["id"];
export type MetricId = (typeof METRICS)[number]["id"];

export interface UsageView {
  range: RangeId;
  /** Custom range only: first and last UTC day, inclusive (YYYY-MM-DD). */
  from: string | null;
  to: string | null;
  group: GroupId;
  metric: MetricId;
  providerKey: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
const oneOf = <T extends string>(ids: readonly { id: T }[], v: string | null, fallback: T): T => (ids.find((x) => x.id === v)?.id ?? fallback);

export const DEFAULT_VIEW: UsageView = { range: "7d", from: null, to: null, group: "provider", metric: "requests", providerKey: null };

export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function readView(p: URLSearchParams): UsageView {
  let range = oneOf(RANGES, p.get("range"), DEFAULT_VIEW.range);
  const from = p.get("from");
  const to = p.get("to");
  const customOk = range === "custom" && from && to && DAY.test(from) && DAY.test(to) && from <= to;
  if (range === "custom" && !customOk) range = DEFAULT_VIEW.range;
  const pk = p.get("provider_key");
  return {
    range,
    from: customOk ? from : null,
    to: customOk ? to : null,
    group: oneOf(GROUPS, p.get("group"), DEFAULT_VIEW.group),
    metric: oneOf(METRICS, p.get("metric"), DEFAULT_VIEW.metric),
    providerKey: pk && UUID.test(pk) ? pk.toLowerCase() : null,
  };
}

/** The page URL's query for a view (defaults left out, so the plain tab URL stays plain). */
export function viewSearch(v: UsageView): string {
  const q = new URLSearchParams();
  if (v.range !== DEFAULT_VIEW.range) q.set("range", v.range);
  if (v.range === "custom" && v.from && v.to) {
    q.set("from", v.from);
    q.set("to", v.to);
  }
  if (v.group !== DEFAULT_VIEW.group) q.set("group", v.group);
  if (v.metric !== DEFAULT_VIEW.metric) q.set("metric", v.metric);
  if (v.providerKey) q.set("provider_key", v.providerKey);
  const s = q.toString();
  return s ? `?${s}` : "";
}

/**
 * The API's `from`/`to` for a view. A preset ends at the end of the current hour, so the request
 * (and its cache key) stays the same for the whole hour and the last bar is the hour in progress;
 * a custom range is whole UTC days.
 */
export function apiRange(v: UsageView, now: number): { from: string; to: string } {
  if (v.range === "custom" && v.from && v.to) return { from: `${v.from}T00:00:00.000Z`, to: new Date(Date.parse(`${v.to}T00:00:00Z`) + DAY_MS).toISOString() };
  const hours = RANGES.find((r) => r.id === v.range)!.hours;
  const end = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
  return { from: new Date(end - hours * HOUR_MS).toISOString(), to: new Date(end).toISOString() };
}

/** The API query (dashboard and CSV export) for a view. */
export function apiSearch(v: UsageView, now: number): string {
  const r = apiRange(v, now);
  const q = new URLSearchParams({ from: r.from, to: r.to, group_by: v.group });
  if (v.providerKey) q.set("provider_key", v.providerKey);
  return q.toString();
}

/** How the previous range is named next to a figure ("vs the previous 7 days"). */
export function previousLabel(v: UsageView): string {
  if (v.range !== "custom") return `the previous ${RANGES.find((r) => r.id === v.range)!.label}`;
  const days = Math.round((Date.parse(`${v.to}T00:00:00Z`) - Date.parse(`${v.from}T00:00:00Z`)) / DAY_MS) + 1;
  return `the previous ${days === 1 ? "day" : `${days} days`}`;
}
