import type { UsageDashboard } from "./queries";
import { formatInt, formatMs, formatPercent, formatUsd } from "./format";

type Totals = NonNullable<UsageDashboard["totals"]>;

/** "+12% vs …", or how the figure moved when a percentage would mislead. */
function change(now: number | null, before: number | null, kind: "ratio" | "points"): string | null {
  if (now === null || before === null) return null;
  if (kind === "points") {
    const d = (now - before) * 100;
    return Math.abs(d) < 0.05 ? "no change" : `${d > 0 ? "▲" : "▼"} ${Math.abs(d).toFixed(1)} pts`;
  }
  if (before === 0) return now === 0 ? "no change" : "▲ new";
  const pct = ((now - before) / before) * 100;
  return Math.abs(pct) < 0.5 ? "no change" : `${pct > 0 ? "▲" : "▼"} ${Math.abs(pct) >= 10 ? Math.round(Math.abs(pct)) : Math.abs(pct).toFixed(1)}%`;
}

function Figure({ label, value, detail, delta, versus }: { label: string; value: string; detail?: string; delta: string | null; versus: string }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd>
        <span className="figure-value">{value}</span>
        {detail && <span className="figure-detail">{detail}</span>}
        {delta !== null && <span className="figure-delta">{`${delta} vs ${versus}`}</span>}
      </dd>
    </div>
  );
}

/** The range's headline figures, each against the previous range of the same length. */
export function HeadlineFigures({ totals, previous, versus }: { totals: Totals; previous: Totals | null; versus: string }) {
  const p = previous;
  return (
    <>
      {!p && <p className="muted small figures-note">No requests in {versus} to compare with.</p>}
      <dl className="figures" aria-label="Headline figures">
        <Figure label="Requests" value={formatInt(totals.requests)} delta={change(totals.requests, p?.requests ?? null, "ratio")} versus={versus} />
        <Figure label="Tokens in / out" value={`${formatInt(totals.input_tokens)} / ${formatInt(totals.output_tokens)}`} delta={change(totals.input_tokens + totals.output_tokens, p ? p.input_tokens + p.output_tokens : null, "ratio")} versus={versus} />
        <Figure
          label="Cost"
          value={formatUsd(totals.cost_usd)}
          detail={totals.unpriced_requests ? `${formatInt(totals.unpriced_requests)} unpriced request${totals.unpriced_requests === 1 ? "" : "s"} not counted` : "every request priced"}
          delta={change(totals.cost_usd, p?.cost_usd ?? null, "ratio")}
          versus={versus}
        />
        <Figure label="Error rate" value={formatPercent(totals.error_rate)} detail={`${formatInt(totals.errors)} failed`} delta={change(totals.error_rate, p?.error_rate ?? null, "points")} versus={versus} />
        <Figure label="Latency p50 / p95" value={`${formatMs(totals.latency_ms.p50)} / ${formatMs(totals.latency_ms.p95)}`} delta={change(totals.latency_ms.p95, p?.latency_ms.p95 ?? null, "ratio")} detail={p ? "change: of p95" : undefined} versus={versus} />
      </dl>
    </>
  );
}
