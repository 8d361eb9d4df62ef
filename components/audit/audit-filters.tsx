"use client";

import { useState } from "react";
import { PROVIDERS, PROVIDER_TYPES } from "@/lib/providers/catalogue";
import { type AuditView, EMPTY_VIEW, isFiltered, OUTCOMES, viewSearch } from "./view";

/**
 * The filters, applied together with one button (every change would otherwise be an audited read).
 * The days are UTC, the last one included; the actor matches by its start.
 */
export function AuditFilters({ view, onApply }: { view: AuditView; onApply: (v: AuditView) => void }) {
  const [draft, setDraft] = useState(view);
  const [seen, setSeen] = useState(viewSearch(view));
  if (seen !== viewSearch(view)) {
    // the URL changed from outside (back, a link, Clear): the form follows
    setSeen(viewSearch(view));
    setDraft(view);
  }
  const set = (k: keyof AuditView) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });
  const rangeError = draft.from && draft.to && draft.from > draft.to ? "The first day must not be after the last." : null;
  return (
    <form
      className="audit-filters"
      aria-label="Filter the audit log"
      onSubmit={(e) => {
        e.preventDefault();
        if (!rangeError) onApply({ ...draft, actor: draft.actor.trim(), action: draft.action.trim() });
      }}
    >
      <TextFilter id="audit-actor" label="Actor" hint="An email or its start" placeholder="admin@example.com" value={draft.actor} onChange={set("actor")} />
      <TextFilter id="audit-action" label="Action" hint="Exact, or a family ending in a dot" placeholder="provider_key." value={draft.action} onChange={set("action")} />
      <div className="audit-field">
        <label htmlFor="audit-provider">Provider</label>
        <select id="audit-provider" value={draft.provider} onChange={set("provider")}>
          <option value="">Any provider</option>
          {PROVIDER_TYPES.map((p) => (
            <option key={p} value={p}>
              {PROVIDERS[p].displayName}
            </option>
          ))}
        </select>
      </div>
      <div className="audit-field">
        <label htmlFor="audit-outcome">Outcome</label>
        <select id="audit-outcome" value={draft.outcome} onChange={set("outcome")}>
          <option value="">Any outcome</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o === "denied" ? "Denied (401, 403, 429, CSRF)" : o[0]!.toUpperCase() + o.slice(1)}
            </option>
          ))}
        </select>
      </div>
      <div className="audit-field">
        <label htmlFor="audit-from">From (UTC day)</label>
        <input id="audit-from" type="date" value={draft.from} onChange={set("from")} aria-invalid={Boolean(rangeError) || undefined} aria-describedby={rangeError ? "audit-range-error" : undefined} />
      </div>
      <div className="audit-field">
        <label htmlFor="audit-to">To (UTC day, included)</label>
        <input id="audit-to" type="date" value={draft.to} onChange={set("to")} aria-invalid={Boolean(rangeError) || undefined} />
      </div>
      <div className="audit-filter-actions">
        <button type="submit" className="btn-primary">
          Apply filters
        </button>
        {isFiltered(view) && (
          <button type="button" className="btn-secondary" onClick={() => onApply(EMPTY_VIEW)}>
            Clear
          </button>
        )}
      </div>
      {rangeError && (
        <p id="audit-range-error" className="error small audit-range-error" role="alert">
          {rangeError}
        </p>
      )}
    </form>
  );
}

function TextFilter({ id, label, hint, ...input }: { id: string; label: string; hint: string; placeholder: string; value: string; onChange: (e: { target: { value: string } }) => void }) {
  return (
    <div className="audit-field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="search" maxLength={320} autoComplete="off" aria-describedby={`${id}-hint`} {...input} />
      <p id={`${id}-hint`} className="small muted">
        {hint}
      </p>
    </div>
  );
}
