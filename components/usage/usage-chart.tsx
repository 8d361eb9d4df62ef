"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { bucketLabel, metricValue } from "./format";
import { type ChartSeries, colourOf, valuesOf } from "./series";
import type { MetricId } from "./view";

/**
 * The stacked bar chart of the Usage tab (recharts, loaded only on this page: usage-tab.tsx imports
 * it dynamically). Colours and text come from CSS variables, so it follows the light or dark scheme.
 * The bars are decorative for assistive technology: chart-table.tsx is the text alternative.
 */
export default function UsageChart({ buckets, series, metric, interval }: { buckets: string[]; series: ChartSeries[]; metric: MetricId; interval: "hour" | "day" }) {
  // series are keyed s0, s1… (a model id may contain dots, which recharts would read as a path)
  const values = series.map((s) => valuesOf(s, metric));
  const rows = buckets.map((t, i) => {
    const row: Record<string, number | string> = { t };
    values.forEach((v, k) => (row[`s${k}`] = v[i]!));
    return row;
  });
  const tick = { fill: "var(--muted)", fontSize: 12 };
  return (
    <ResponsiveContainer width="100%" height={280}>
      <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} barCategoryGap={buckets.length > 60 ? 0 : "15%"} accessibilityLayer={false}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="t" tickFormatter={(t: string) => bucketLabel(t, interval, true)} tick={tick} stroke="var(--border)" minTickGap={24} />
        <YAxis tickFormatter={(n: number) => metricValue(metric, n, true)} tick={tick} stroke="var(--border)" width={metric === "cost" ? 60 : 48} allowDecimals={metric === "cost"} />
        <Tooltip content={(p) => <ChartTooltip active={p.active} payload={p.payload} label={p.label} series={series} metric={metric} interval={interval} />} cursor={{ fill: "var(--neutral-bg)", opacity: 0.5 }} isAnimationActive={false} />
        {series.map((s, k) => (
          <Bar key={s.id} dataKey={`s${k}`} name={s.label} stackId="usage" fill={colourOf(s, k)} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

interface TooltipProps {
  active?: boolean;
  payload?: ReadonlyArray<{ payload?: unknown }>;
  label?: unknown;
  series: ChartSeries[];
  metric: MetricId;
  interval: "hour" | "day";
}

function ChartTooltip({ active, payload, label, series, metric, interval }: TooltipProps) {
  if (!active || !payload?.length) return null;
  const row = payload[0]!.payload as Record<string, number>;
  const items = series.map((s, k) => ({ s, k, v: row[`s${k}`] ?? 0 })).filter((x) => x.v > 0);
  const total = items.reduce((a, x) => a + x.v, 0);
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip-title">{bucketLabel(String(label), interval)}</p>
      {items.length === 0 ? (
        <p className="muted">No requests</p>
      ) : (
        <ul>
          {[...items].reverse().map(({ s, k, v }) => (
            <li key={s.id}>
              <span className="swatch" style={{ background: colourOf(s, k) }} aria-hidden="true" />
              <span className="chart-tooltip-label">{s.label}</span>
              <span className="chart-tooltip-value">{metricValue(metric, v)}</span>
            </li>
          ))}
          {items.length > 1 && (
            <li className="chart-tooltip-total">
              <span className="chart-tooltip-label">Total</span>
              <span className="chart-tooltip-value">{metricValue(metric, total)}</span>
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
