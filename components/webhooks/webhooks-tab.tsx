"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useHydrated } from "@/components/client/use-hydrated";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { AddWebhookForm } from "./add-webhook-form";
import { ConfirmWebhook } from "./confirm-webhook";
import { webhooksQuery } from "./queries";
import { SecretOnce } from "./secret-once";
import { WebhookCard } from "./webhook-card";
import type { WebhookDialog } from "./webhook-dialog";

/** The Webhooks tab: where alerts go besides the bell. Add, test, enable/disable, rotate, delete. */
export function WebhooksTab() {
  const query = useQuery(webhooksQuery());
  const [dialog, setDialog] = useState<WebhookDialog | null>(null);
  const hydrated = useHydrated();
  const hooks = query.data?.webhooks;
  const close = () => setDialog(null);
  // a dialog's close event arrives after the next one opened (add -> secret): close only its own
  const closeIf = (...kinds: WebhookDialog["kind"][]) => () => setDialog((d) => (d && kinds.includes(d.kind) ? null : d));
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
          <ConfirmWebhook kind={dialog.kind} hook={dialog.hook} onCancel={close} onRotated={(secret) => setDialog({ kind: "secret", name: dialog.hook.name, secret })} />
        )}
      </ModalDialog>
    </section>
  );
}
