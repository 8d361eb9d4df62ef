"use client";

import { RelativeTime } from "@/components/ui/relative-time";
import type { AuditEventView } from "./queries";

const OUTCOME_BADGE = { success: "badge-ok", failure: "badge-warn", denied: "badge-bad" } as const;

/** One record as a table row; its facts and detail in a second row, when asked for. */
export function AuditRecord({ event: e, open, onToggle }: { event: AuditEventView; open: boolean; onToggle: () => void }) {
  const detailId = `audit-detail-${e.id}`;
  return (
    <>
      <tr>
        <td>
          <RelativeTime iso={e.at} />
        </td>
        <td>
          <code>{e.action}</code>
        </td>
        <td>
          <span className={`badge ${OUTCOME_BADGE[e.outcome]}`}>
            {e.outcome}
            {e.status_code ? ` ${e.status_code}` : ""}
          </span>
        </td>
        <td className="audit-actor">{e.actor_email ?? <span className="muted">no one signed in</span>}</td>
        <td className="audit-wide">{e.provider_type ?? ""}</td>
        <td>
          <button type="button" className="btn-ghost btn-small" aria-expanded={open} aria-controls={open ? detailId : undefined} onClick={onToggle}>
            {open ? "Hide details" : "Details"}
            <span className="sr-only"> of record {e.id}</span>
          </button>
        </td>
      </tr>
      {open && (
        <tr id={detailId} className="audit-detail-row">
          <td colSpan={6}>
            <dl className="facts" aria-label={`Record ${e.id}`}>
              <div>
                <dt>Record</dt>
                <dd>{e.id}</dd>
              </div>
              <div>
                <dt>Time (UTC)</dt>
                <dd>{e.at}</dd>
              </div>
              <div>
                <dt>Client address</dt>
                <dd>{e.ip ?? "-"}</dd>
              </div>
              <div>
                <dt>Target</dt>
                <dd className="mono">{e.target ?? "-"}</dd>
              </div>
              <div>
                <dt>Provider</dt>
                <dd>{e.provider_type ?? "-"}</dd>
              </div>
              <div>
                <dt>Key fingerprint</dt>
                <dd className="mono">{e.key_fingerprint ?? "-"}</dd>
              </div>
              <div className="fact-wide">
                <dt>User agent</dt>
                <dd>{e.user_agent ?? "-"}</dd>
              </div>
              <div className="fact-wide">
                <dt>Detail</dt>
                <dd>
                  <pre className="audit-json">{e.detail ? JSON.stringify(e.detail, null, 2) : "none"}</pre>
                </dd>
              </div>
            </dl>
          </td>
        </tr>
      )}
    </>
  );
}
