"use client";

import { useState } from "react";
import { dayOf, GROUPS, RANGES, type UsageView } from "./view";

/**
 * The range picker (presets, or custom UTC days applied together) and the grouping. Every change
 * becomes a new URL through `onChange`; the CSV link downloads what the view shows.
 */
export function UsageToolbar({ view, now, onChange, csvHref }: { view: UsageView; now: number; onChange: (v: UsageView) => void; csvHref: string | undefined }) {
  const today = dayOf(now);
  const [from, setFrom] = useState(view.from ?? dayOf(now - 6 * 86400_000));
  const [to, setTo] = useState(view.to ?? today);
  const [customOpen, setCustomOpen] = useState(view.range === "custom");
  const customError = from > to ? "The first day must not be after the last." : null;
  return (
    <div className="usage-toolbar">
      <fieldset className="segmented">
        <legend className="sr-only">Range</legend>
        {RANGES.map((r) => {
          const checked = r.id === "custom" ? customOpen : !customOpen && view.range === r.id;
          return (
            <label key={r.id} className="segment" data-checked={checked || undefined}>
              <input
                type="radio"
                name="usage-range"
                value={r.id}
                checked={checked}
                onChange={() => {
                  if (r.id === "custom") setCustomOpen(true);
                  else {
                    setCustomOpen(false);
                    onChange({ ...view, range: r.id, from: null, to: null });
                  }
                }}
              />
              {r.label}
            </label>
          );
        })}
      </fieldset>
      {customOpen && (
        <form
          className="usage-custom"
          aria-label="Custom range"
          onSubmit={(e) => {
            e.preventDefault();
            if (!customError) onChange({ ...view, range: "custom", from, to });
          }}
        >
          <div>
            <label htmlFor="usage-from">From (UTC day)</label>
            <input id="usage-from" type="date" value={from} max={today} onChange={(e) => setFrom(e.target.value)} required aria-invalid={Boolean(customError) || undefined} aria-describedby={customError ? "usage-custom-error" : undefined} />
          </div>
          <div>
            <label htmlFor="usage-to">To (UTC day, included)</label>
            <input id="usage-to" type="date" value={to} max={today} onChange={(e) => setTo(e.target.value)} required aria-invalid={Boolean(customError) || undefined} />
          </div>
          <button type="submit" className="btn-secondary">
            Show
          </button>
          {customError && (
            <p id="usage-custom-error" className="error small" role="alert">
              {customError}
            </p>
          )}
        </form>
      )}
      <div className="usage-toolbar-end">
        <div className="usage-group">
          <label htmlFor="usage-group">Group by</label>
          <select id="usage-group" value={view.group} onChange={(e) => onChange({ ...view, group: e.target.value as UsageView["group"] })}>
            {GROUPS.map((g) => (
              <option key={g.id} value={g.id}>
                {g.label}
              </option>
            ))}
          </select>
        </div>
        <a className="btn-link" href={csvHref} download>
          Download CSV
        </a>
      </div>
    </div>
  );
}
