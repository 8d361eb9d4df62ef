"use client";

import { useHydrated } from "@/components/ui/use-hydrated";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { callAction, explainFailure, failureTone } from "@/components/ui/action-call";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { RelativeTime } from "@/components/ui/relative-time";
import { useToast } from "@/components/ui/toaster";
import { createWebhookAction, deleteWebhookAction, patchWebhookAction, rotateWebhookSecretAction, testWebhookAction } from "@/lib/actions/webhooks";
import { type DeliveryView, deliveriesQuery, webhookKeys, webhooksQuery, type WebhookView } from "./queries";

type Dialog = { kind: "add" } | { kind: "secret"; name: string; secret: string } | { kind: "delete" | "rotate"; hook: WebhookView };

/** The Webhooks tab: where alerts go besides the bell. Add, test, enable/disable, rotate, delete. */
export function WebhooksTab() {
  const query = useQuery(webhooksQuery());
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const hydrated = useHydrated();
  const hooks = query.data?.webhooks;
  const close = () => setDialog(null);
  // a dialog's close event arrives after the next one opened (add -> secret): close only its own
  const closeIf = (...kinds: Dialog["kind"][]) => () => setDialog((d) => (d && kinds.includes(d.kind) ? null : d));
  return (
    <section aria-labelledby="webhooks-title" className="webhooks" data-hydrated={hydrated || undefined}>
      <div className="tab-head">
        <h1 id="webhooks-title" tabIndex={-1}>
          Webhooks
        </h1>
        <p className="muted">Alerts about keys (stopped working, degraded, recovered) are posted here, signed, and retried until the receiver answers 2xx.</p>
      </div>
      <div className="toolbar">
        <button type="button" className="btn-primary" onClick={() => setDialog({ kind: "add" })}>
          Add webhook
        </button>
        {query.isFetching && hooks && <span className="muted small">Refreshing…</span>}
      </div>
      {query.isError && (
        <p role="alert" className="banner banner-bad">
          {hooks ? `Could not refresh: ${query.error.message}` : query.error.message}
        </p>
      )}
      {!hooks ? (
        !query.isError && <p className="muted">Loading webhooks…</p>
      ) : hooks.length === 0 ? (
        <p className="empty">No webhooks yet. Add one to get alerts in Slack or your own endpoint; the bell shows them either way.</p>
      ) : (
        <ul className="provider-list" aria-label="Webhooks">
          {hooks.map((h) => (
            <li key={h.id}>
              <WebhookCard hook={h} onDialog={setDialog} />
            </li>
          ))}
        </ul>
      )}
      <ModalDialog open={dialog?.kind === "add"} onClose={closeIf("add")} title="Add a webhook" initialFocus="input">
        {dialog?.kind === "add" && <AddWebhookForm onCreated={(name, secret) => setDialog({ kind: "secret", name, secret })} onCancel={close} />}
      </ModalDialog>
      <ModalDialog open={dialog?.kind === "secret"} onClose={closeIf("secret")} title="Signing secret" initialFocus="[data-initial-focus]">
        {dialog?.kind === "secret" && <SecretOnce name={dialog.name} secret={dialog.secret} onDone={close} />}
      </ModalDialog>
      <ModalDialog open={dialog?.kind === "delete" || dialog?.kind === "rotate"} onClose={closeIf("delete", "rotate")} title={dialog?.kind === "rotate" ? "Rotate the signing secret?" : dialog?.kind === "delete" ? `Delete ${dialog.hook.name}?` : ""} initialFocus="[data-initial-focus]">
        {(dialog?.kind === "delete" || dialog?.kind === "rotate") && (
          <ConfirmHook kind={dialog.kind} hook={dialog.hook} onCancel={close} onRotated={(secret) => setDialog({ kind: "secret", name: dialog.hook.name, secret })} />
        )}
      </ModalDialog>
    </section>
  );
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: webhookKeys.all() });
}

function WebhookCard({ hook, onDialog }: { hook: WebhookView; onDialog: (d: Dialog) => void }) {
  const invalidate = useInvalidate();
  const [showLog, setShowLog] = useState(false);
  const test = useMutation({ mutationFn: () => callAction(() => testWebhookAction(hook.id)), onSuccess: invalidate });
  const toggle = useMutation({ mutationFn: () => callAction(() => patchWebhookAction(hook.id, { enabled: !hook.enabled })), onSuccess: invalidate });
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
        {test.isSuccess && <TestOutcome d={test.data.delivery} />}
        {test.isError && <p className={failureTone(test.error)}>{explainFailure(test.error)}</p>}
        {toggle.isError && <p className="outcome-bad">{explainFailure(toggle.error)}</p>}
      </div>
      <div id={logId}>{showLog && <DeliveryLog id={hook.id} />}</div>
    </article>
  );
}

function TestOutcome({ d }: { d: DeliveryView | null }) {
  const a = d?.attempt_log.at(-1);
  if (!d || !a) return <p className="outcome-warn">Queued; the first attempt is taking longer than usual. Check Deliveries.</p>;
  if (a.success) return <p className="outcome-ok">Delivered: the receiver answered HTTP {a.status_code} in {a.latency_ms} ms.</p>;
  return (
    <p className="outcome-bad">
      Not delivered: {a.error}.{d.status === "pending" ? " It will be retried with backoff; see Deliveries." : ""}
    </p>
  );
}

function DeliveryLog({ id }: { id: string }) {
  const q = useQuery(deliveriesQuery(id));
  if (q.isError) return <p className="outcome-bad">{q.error.message}</p>;
  if (!q.data) return <p className="muted">Loading deliveries…</p>;
  if (q.data.deliveries.length === 0) return <p className="muted">Nothing sent yet.</p>;
  return (
    <table className="delivery-log">
      <caption className="sr-only">Recent deliveries</caption>
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Sent</th>
        </tr>
      </thead>
      <tbody>
        {q.data.deliveries.map((d) => (
          <tr key={d.id}>
            <td>{d.event}</td>
            <td>
              {d.status}
              {d.last_error ? ` - ${d.last_error}` : ""}
            </td>
            <td>{d.attempt_log.map((a) => (a.success ? `✓ ${a.status_code}` : `✗ ${a.status_code ?? a.error}`)).join(", ") || "-"}</td>
            <td>
              <RelativeTime iso={d.created_at} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AddWebhookForm({ onCreated, onCancel }: { onCreated: (name: string, secret: string) => void; onCancel: () => void }) {
  const invalidate = useInvalidate();
  const create = useMutation({ mutationFn: (input: { name: string; url: string; kind: "generic" | "slack" }) => callAction(() => createWebhookAction(input)), onSuccess: invalidate });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (create.isPending) return;
        const f = new FormData(e.currentTarget);
        const input = { name: String(f.get("name") ?? ""), url: String(f.get("url") ?? ""), kind: f.get("kind") === "slack" ? ("slack" as const) : ("generic" as const) };
        create.mutate(input, { onSuccess: (d) => onCreated(d.webhook.name, d.secret) });
      }}
    >
      <label className="field">
        <span>Name</span>
        <input name="name" required maxLength={100} autoComplete="off" />
      </label>
      <label className="field">
        <span>URL</span>
        <input name="url" type="url" required maxLength={2048} autoComplete="off" placeholder="https://hooks.slack.com/services/…" />
      </label>
      <label className="field">
        <span>Format</span>
        <select name="kind" defaultValue="generic">
          <option value="generic">JSON (signed)</option>
          <option value="slack">Slack-compatible</option>
        </select>
      </label>
      <div role="alert" className="form-error">
        {create.isError && <p className="error">{explainFailure(create.error)}</p>}
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn-primary" aria-disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add webhook"}
        </button>
      </div>
    </form>
  );
}

function SecretOnce({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div>
      <p>
        The signing secret of <strong>{name}</strong>. Copy it now: it is not shown again. Receivers check the <code>X-LLMHub-Signature</code> header with it (see the README).
      </p>
      <p>
        <code className="key-preview secret-once" aria-label="Signing secret">
          {secret}
        </code>
      </p>
      <p role="status">{copied ? "Copied to the clipboard." : ""}</p>
      <div className="dialog-actions">
        <button type="button" className="btn-secondary" onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => setCopied(false))}>
          Copy
        </button>
        <button type="button" className="btn-primary" onClick={onDone} data-initial-focus>
          Done
        </button>
      </div>
    </div>
  );
}

function ConfirmHook({ kind, hook, onCancel, onRotated }: { kind: "delete" | "rotate"; hook: WebhookView; onCancel: () => void; onRotated: (secret: string) => void }) {
  const invalidate = useInvalidate();
  const toast = useToast();
  const run = useMutation({
    mutationFn: async () => (kind === "delete" ? { secret: null, ...(await callAction(() => deleteWebhookAction(hook.id))) } : await callAction(() => rotateWebhookSecretAction(hook.id))),
    onSuccess: invalidate,
  });
  return (
    <div>
      <p>
        {kind === "delete"
          ? `${hook.name} will stop receiving alerts, and its delivery history goes with it.`
          : `A new signing secret replaces the current one at once: update the receiver of ${hook.name} right after.`}
      </p>
      <div role="alert" className="form-error">
        {run.isError && <p className="error">{explainFailure(run.error)}</p>}
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn-secondary" onClick={onCancel} data-initial-focus>
          Cancel
        </button>
        <button
          type="button"
          className={kind === "delete" ? "btn-danger-solid" : "btn-primary"}
          aria-disabled={run.isPending}
          onClick={() =>
            !run.isPending &&
            run.mutate(undefined, {
              onSuccess: (d) => {
                if (kind === "rotate" && d.secret) onRotated(d.secret);
                else {
                  toast(`Removed webhook ${hook.name}.`, "success");
                  onCancel();
                }
              },
            })
          }
        >
          {run.isPending ? (kind === "delete" ? "Deleting…" : "Rotating…") : kind === "delete" ? "Delete webhook" : "Rotate secret"}
        </button>
      </div>
    </div>
  );
}
