"use client";

import { useState } from "react";
import { ProviderLogo } from "@/components/provider-logos/provider-logo";
import { formatInt, formatUsd } from "./format";
import type { UsageDashboard } from "./queries";

const FIRST = 10;

/** The groups ranked by requests, each with its share of the range's requests as a bar. */
export function UsedMost({ groups, total, groupLabel }: { groups: UsageDashboard["groups"]; total: number; groupLabel: string }) {
  const [all, setAll] = useState(false);
  const shown = all ? groups : groups.slice(0, FIRST);
  return (
    <section className="usage-panel" aria-labelledby="used-most-title">
      <h2 id="used-most-title">Used most</h2>
      <p className="muted small">By requests, per {groupLabel.toLowerCase()}.</p>
      <ol className="used-most" aria-label={`Used most, per ${groupLabel.toLowerCase()}`}>
        {shown.map((g) => {
          const share = total ? g.requests / total : 0;
          return (
            <li key={g.id}>
              <div className="used-most-line">
                {g.provider_type && <ProviderLogo type={g.provider_type} size="sm" />}
                <span className="used-most-label">{g.label}</span>
                <span className="used-most-figure">
                  {formatInt(g.requests)} <span className="muted small">({(share * 100).toFixed(share < 0.1 ? 1 : 0)}%)</span>
                </span>
              </div>
              <div className="share-bar" aria-hidden="true">
                <span style={{ width: `${Math.max(share * 100, 0.5)}%` }} />
              </div>
              <p className="muted small used-most-detail">
                {formatInt(g.input_tokens + g.output_tokens)} tokens · {formatUsd(g.cost_usd)}
                {g.unpriced_requests ? ` + ${formatInt(g.unpriced_requests)} unpriced` : ""}
              </p>
            </li>
          );
        })}
      </ol>
      {groups.length > FIRST && (
        <button type="button" className="btn-secondary btn-small" onClick={() => setAll((a) => !a)} aria-expanded={all}>
          {all ? `Show the first ${FIRST}` : `Show all ${groups.length}`}
        </button>
      )}
    </section>
  );
}
