import { bucketLabel, metricValue } from "./format";
import { type ChartSeries, valuesOf } from "./series";
import type { MetricId } from "./view";

/**
 * The chart's text alternative: the same figures as a table, one row per hour or day that had
 * requests, inside a disclosure anyone can open (a screen reader reads it like any table).
 */
export function ChartTable({ buckets, series, metric, interval, caption }: { buckets: string[]; series: ChartSeries[]; metric: MetricId; interval: "hour" | "day"; caption: string }) {
  const values = series.map((s) => valuesOf(s, metric));
  const rows = buckets.map((t, i) => ({ t, v: values.map((v) => v[i]!) })).filter((r) => r.v.some((x) => x > 0));
  return (
    <details className="chart-table">
      <summary>Show the chart as a table</summary>
      {rows.length === 0 ? (
        <p className="muted small">No requests in this range.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="sr-only">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{interval === "hour" ? "Hour (local time)" : "Day (UTC)"}</th>
                {series.map((s) => (
                  <th key={s.id} scope="col">
                    {s.label}
                  </th>
                ))}
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.t}>
                  <th scope="row">{bucketLabel(r.t, interval)}</th>
                  {r.v.map((x, k) => (
                    <td key={series[k]!.id}>{metricValue(metric, x)}</td>
                  ))}
                  <td>{metricValue(metric, r.v.reduce((a, x) => a + x, 0))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
