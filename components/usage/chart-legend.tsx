import { type ChartSeries, colourOf } from "./series";

/** The chart's legend, as HTML so it wraps on narrow screens. */
export function ChartLegend({ series }: { series: ChartSeries[] }) {
  return (
    <ul className="chart-legend" aria-label="Legend">
      {series.map((s, k) => (
        <li key={s.id}>
          <span className="swatch" style={{ background: colourOf(s, k) }} aria-hidden="true" />
          {s.label}
        </li>
      ))}
    </ul>
  );
}
