"use client";

import { AxisBottom, AxisLeft } from "@visx/axis";
import { GridRows } from "@visx/grid";
import { Group } from "@visx/group";
import { ParentSize } from "@visx/responsive";
import { scaleBand, scaleLinear } from "@visx/scale";
import { BarStack } from "@visx/shape";
import { type KeyboardEvent, useState } from "react";
import { bucketLabel, metricValue } from "./format";
import { type ChartSeries, colourOf, valuesOf } from "./series";
import type { MetricId } from "./view";

/**
 * The stacked bar chart of the Usage tab (visx: d3 scales and SVG shapes, loaded only on this page:
 * usage-tab.tsx imports it dynamically). Colours and text come from CSS variables, so it follows the
 * light or dark scheme. Hovering a bar, or the arrow keys once the chart has focus, show the
 * period's figures; the bars themselves are hidden from assistive technology, whose text
 * alternative is chart-table.tsx.
 */
export default function UsageChart(props: ChartProps) {
  return <ParentSize debounceTime={50}>{({ width }) => (width > 0 ? <Chart width={width} {...props} /> : null)}</ParentSize>;
}

interface ChartProps {
  buckets: string[];
  series: ChartSeries[];
  metric: MetricId;
  interval: "hour" | "day";
}

const HEIGHT = 280;
const M = { top: 10, right: 12, bottom: 28, left: 56 };
type Row = Record<string, number> & { i: number };

/** Which buckets get an axis label: midnights on a week of hours, else evenly spaced. */
function tickValues(buckets: string[], interval: "hour" | "day", room: number): string[] {
  if (interval === "hour" && buckets.length > 48) return buckets.filter((t) => new Date(t).getHours() === 0);
  const every = Math.max(1, Math.ceil(buckets.length / room));
  return buckets.filter((_, i) => i % every === 0);
}

/** The chart at a given width (exported for its unit test; the page uses the responsive default export). */
export function Chart({ width, buckets, series, metric, interval }: ChartProps & { width: number }) {
  const [active, setActive] = useState<number | null>(null);
  const values = series.map((s) => valuesOf(s, metric));
  const keys = series.map((_, k) => `s${k}`);
  const rows: Row[] = buckets.map((_, i) => {
    const r = { i } as Row;
    keys.forEach((key, k) => (r[key] = values[k]![i]!));
    return r;
  });
  const totals = buckets.map((_, i) => values.reduce((a, v) => a + v[i]!, 0));
  const innerW = Math.max(10, width - M.left - M.right);
  const innerH = HEIGHT - M.top - M.bottom;
  const x = scaleBand<number>({ domain: buckets.map((_, i) => i), range: [0, innerW], paddingInner: buckets.length > 60 ? 0.1 : 0.25, paddingOuter: 0.1 });
  const y = scaleLinear<number>({ domain: [0, Math.max(...totals, 0) || 1], range: [innerH, 0], nice: true });
  const hourTicks = interval === "hour" && buckets.length > 48;
  const ticks = tickValues(buckets, interval, Math.max(2, Math.floor(innerW / 70)));
  const tick = { fill: "var(--muted)", fontSize: 12 };

  const onKey = (e: KeyboardEvent) => {
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : e.key === "End" ? buckets.length : e.key === "Home" ? -buckets.length : 0;
    if (!step) return;
    e.preventDefault();
    setActive((a) => Math.min(buckets.length - 1, Math.max(0, (a ?? buckets.length - 1) + step)));
  };
  const at = active === null ? null : M.left + (x(active) ?? 0) + x.bandwidth() / 2;

  return (
    <div
      className="chart-frame"
      tabIndex={0}
      role="group"
      aria-label={`Chart of ${metric} per ${interval}. Arrow keys show each ${interval}'s figures; the table below has them all.`}
      onMouseLeave={() => setActive(null)}
      onKeyDown={onKey}
      onFocus={() => setActive((a) => a ?? Math.max(0, totals.findLastIndex((v) => v > 0)))}
      onBlur={() => setActive(null)}
    >
      <svg width={width} height={HEIGHT} aria-hidden="true" focusable="false">
        <Group left={M.left} top={M.top}>
          <GridRows scale={y} width={innerW} numTicks={5} stroke="var(--border)" />
          {active !== null && <rect x={(x(active) ?? 0) - (x.step() - x.bandwidth()) / 2} y={0} width={x.step()} height={innerH} className="chart-cursor" />}
          <BarStack<Row, string> data={rows} keys={keys} x={(d) => d.i} xScale={x} yScale={y} color={(key) => colourOf(series[Number(key.slice(1))]!, Number(key.slice(1)))}>
            {(stacks) =>
              stacks.map((stack) =>
                stack.bars.map((bar) => (bar.height > 0 ? <rect key={`${stack.key}-${bar.index}`} className="chart-bar" x={bar.x} y={bar.y} width={bar.width} height={bar.height} fill={bar.color} /> : null)),
              )
            }
          </BarStack>
          {buckets.map((t, i) => (
            <rect key={t} x={(x(i) ?? 0) - (x.step() - x.bandwidth()) / 2} y={0} width={x.step()} height={innerH} fill="transparent" onMouseEnter={() => setActive(i)} />
          ))}
          <AxisLeft scale={y} numTicks={5} tickFormat={(n) => metricValue(metric, Number(n), true)} stroke="var(--border)" tickStroke="var(--border)" tickLabelProps={{ ...tick, textAnchor: "end", dx: -4, dy: 4 }} />
          <AxisBottom
            top={innerH}
            scale={x}
            tickValues={ticks.map((t) => buckets.indexOf(t))}
            tickFormat={(i) => (hourTicks ? bucketLabel(buckets[Number(i)]!, "day", true).replace(/,.*/, "") : bucketLabel(buckets[Number(i)]!, interval, true))}
            stroke="var(--border)"
            tickStroke="var(--border)"
            tickLabelProps={{ ...tick, textAnchor: "middle" }}
          />
        </Group>
      </svg>
      {active !== null && at !== null && <ChartTooltip left={at} flip={at > width / 2} title={bucketLabel(buckets[active]!, interval)} series={series} values={values.map((v) => v[active]!)} metric={metric} />}
    </div>
  );
}

function ChartTooltip({ left, flip, title, series, values, metric }: { left: number; flip: boolean; title: string; series: ChartSeries[]; values: number[]; metric: MetricId }) {
  const items = series.map((s, k) => ({ s, k, v: values[k]! })).filter((x) => x.v > 0);
  const total = items.reduce((a, x) => a + x.v, 0);
  return (
    <div className={`chart-tooltip${flip ? " chart-tooltip-flip" : ""}`} style={{ left }} aria-live="polite">
      <p className="chart-tooltip-title">{title}</p>
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
