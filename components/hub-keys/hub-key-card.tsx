"use client";

import { explainFailure } from "@/components/client/action-call";
import { RelativeTime } from "@/components/ui/relative-time";
import { BudgetBar } from "./budget-bar";
import { formatCount } from "./format";
import type { HubKeyDialog } from "./hub-key-dialog";
import { usePatchHubKey } from "./mutations";
import type { HubKeyRow } from "./queries";
import { StatusBadge } from "./status-badge";

const SCOPE_NAMES: Record<string, string> = { gateway: "Gateway", ingest: "Usage ingest" };

export const cardDomId = (row: HubKeyRow) => `hub-key-${row.id}`;

/** One hub key: who it is for, how much it was used this month against its budget, and its actions. */
export function HubKeyCard({ row, onDialog }: { row: HubKeyRow; onDialog: (d: HubKeyDialog) => void }) {
  const toggle = usePatchHubKey(row);
  const titleId = `${cardDomId(row)}-title`;
  return (
    <article className="card hub-key" id={cardDomId(row)} aria-labelledby={titleId} tabIndex={-1}>
      <div className="card-head">
        <div>
          <h2 id={titleId} className="card-title">
            {row.name}
          </h2>
          <p className="card-description muted small">{row.owner ? `Owner: ${row.owner}` : "No owner set"}</p>
        </div>
        <div className="badges">
          <StatusBadge status={row.status} />
        </div>
      </div>
      <dl className="facts">
        <div>
          <dt>Key</dt>
          <dd>
            <code className="key-preview">{row.key_preview}</code>
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <RelativeTime iso={row.created_at} />
          </dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd>{row.last_used_at ? <RelativeTime iso={row.last_used_at} /> : <span className="muted">Never</span>}</dd>
        </div>
        <div>
          <dt>Requests this month</dt>
          <dd>{formatCount(row.this_month.requests)}</dd>
        </div>
        <div className="fact-wide">
          <dt>Spend this month</dt>
          <dd>
            <BudgetBar spent={row.this_month.cost_usd} budget={row.monthly_budget_usd} />
          </dd>
        </div>
        <div>
          <dt>Use for</dt>
          <dd>{row.scopes.map((s) => SCOPE_NAMES[s] ?? s).join(", ")}</dd>
        </div>
        <div className="fact-wide">
          <dt>Allowed</dt>
          <dd>{row.allowed.length ? row.allowed.map((p) => <code key={p} className="pattern">{p}</code>) : "Every configured provider"}</dd>
        </div>
        <div>
          <dt>Rate limit</dt>
          <dd>{row.rpm_limit === null ? <span className="muted">None</span> : `${formatCount(row.rpm_limit)} requests/min`}</dd>
        </div>
        <div>
          <dt>Expires</dt>
          <dd>{row.expires_at ? <RelativeTime iso={row.expires_at} /> : <span className="muted">Never</span>}</dd>
        </div>
      </dl>
      <div className="card-actions">
        <button type="button" className="btn-secondary" onClick={() => onDialog({ kind: "edit", row })}>
          Edit
        </button>
        <button type="button" className="btn-secondary" aria-disabled={toggle.isPending} onClick={() => !toggle.isPending && toggle.mutate({ enabled: !row.enabled })}>
          {toggle.isPending ? "Saving…" : row.enabled ? "Disable" : "Enable"}
        </button>
        <button type="button" className="btn-secondary" onClick={() => onDialog({ kind: "rotate", row })}>
          Rotate key
        </button>
        <button type="button" className="btn-danger" onClick={() => onDialog({ kind: "delete", row })}>
          Delete
        </button>
      </div>
      <div role="status" className="card-status">
        {toggle.isError && <p className="outcome-bad">{explainFailure(toggle.error)}</p>}
      </div>
    </article>
  );
}
