import type { UsageDashboard } from "./queries";
import type { MetricId } from "./view";

export type ChartSeries = UsageDashboard["chart"]["series"][number];

/** The series' values of one metric (cost is `cost_usd` in the API). */
export const valuesOf = (s: ChartSeries, metric: MetricId): number[] => (metric === "cost" ? s.cost_usd : metric === "tokens" ? s.tokens : s.requests);

/** The colour of the i-th series ("Other" is always the neutral last one); CSS variables per scheme. */
export const colourOf = (s: ChartSeries, i: number) => (s.id === "__other__" ? "var(--chart-other)" : `var(--chart-${(i % 8) + 1})`);
