import { budgetShare, formatUsd } from "./format";

/**
 * This month's spend, and against a budget a meter: green, orange from 80% (the warning alert),
 * red from 100% (the gateway refuses). A native <meter>: no inline style, which the CSP forbids.
 */
export function BudgetBar({ spent, budget }: { spent: number; budget: number | null }) {
  const share = budgetShare(spent, budget);
  if (budget === null || share === null)
    return (
      <span>
        {formatUsd(spent)} <span className="muted small">(no budget)</span>
      </span>
    );
  const pct = Math.round(share * 100);
  return (
    <span className="budget">
      <span>
        {formatUsd(spent)} <span className="muted">of {formatUsd(budget)}</span>
      </span>
      <meter className="budget-bar" min={0} max={1} low={0.8} high={0.999} optimum={0} value={Math.min(1, share)} aria-label={`${pct}% of the monthly budget used`} title={`${pct}% of the monthly budget used`} />
    </span>
  );
}
