"use client";

import { useId, useState } from "react";
import { explainFailure, failureTone } from "@/components/client/action-call";
import { RelativeTime } from "@/components/ui/relative-time";
import { DeliveryLog } from "./delivery-log";
import { useTestWebhook, useToggleWebhook } from "./mutations";
import type { WebhookView } from "./queries";
import { WebhookTestOutcome } from "./test-outcome";
import type { WebhookDialog } from "./webhook-dialog";

/** One webhook: where it posts, how its deliveries went, and what can be done with it. */
export function WebhookCard({ hook, onDialog }: { hook: WebhookView; onDialog: (d: WebhookDialog) => void }) {
  const [showLog, setShowLog] = useState(false);
  const test = useTestWebhook(hook);
  const toggle = useToggleWebhook(hook);
  const logId = useId();
  const last = hook.last_delivery;
  return (
    <article className="card" aria-label={hook.name}>
      <div className="card-head">
        <div>
          <h2 className="card-title">{hook.name}</h2>
          <p className="card-description muted">
            <code>{hook.url_preview}</code>
          </p>
        </div>
        <div className="badges">
          <span className="badge badge-neutral">{hook.kind === "slack" ? "Slack" : "JSON"}</span>
          <span className={`badge ${hook.enabled ? "badge-ok" : "badge-muted"}`}>{hook.enabled ? "Enabled" : "Disabled"}</span>
          {hook.failed_deliveries > 0 && <span className="badge badge-bad">{hook.failed_deliveries} failed</span>}
          {hook.pending_deliveries > 0 && <span className="badge badge-warn">{hook.pending_deliveries} retrying</span>}
        </div>
      </div>
      <p className="muted small">
        Secret <code>{hook.secret_preview}</code>
        {last && (
          <>
            {" "}
            · last delivery {last.status}
            {last.error ? ` (${last.error})` : ""} <RelativeTime iso={last.at} />
          </>
        )}
      </p>
      <div className="card-actions">
        <button type="button" className="btn-secondary" aria-disabled={test.isPending || !hook.enabled} onClick={() => !test.isPending && hook.enabled && test.mutate()}>
          {test.isPending ? "Sending…" : "Send test notification"}
        </button>
        <button type="button" className="btn-secondary" aria-disabled={toggle.isPending} onClick={() => !toggle.isPending && toggle.mutate()}>
          {toggle.isPending ? "Saving…" : hook.enabled ? "Disable" : "Enable"}
        </button>
        <button type="button" className="btn-secondary" onClick={() => onDialog({ kind: "rotate", hook })}>
          Rotate secret
        </button>
        <button type="button" className="btn-secondary" aria-expanded={showLog} aria-controls={logId} onClick={() => setShowLog(!showLog)}>
          {showLog ? "Hide deliveries" : "Deliveries"}
        </button>
        <button type="button" className="btn-danger" onClick={() => onDialog({ kind: "delete", hook })}>
          Delete
        </button>
      </div>
      <div role="status" className="card-status">
        {test.isPending && <p>Sending a test notification to {hook.name}…</p>}
        {test.isSuccess && <WebhookTestOutcome d={test.data.delivery} />}
        {test.isError && <p className={failureTone(test.error)}>{explainFailure(test.error)}</p>}
        {toggle.isError && <p className="outcome-bad">{explainFailure(toggle.error)}</p>}
      </div>
      <div id={logId}>{showLog && <DeliveryLog id={hook.id} />}</div>
    </article>
  );
}
