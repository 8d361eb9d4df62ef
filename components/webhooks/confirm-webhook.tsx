"use client";

import { explainFailure } from "@/components/client/action-call";
import { useToast } from "@/components/ui/toaster";
import { useDeleteOrRotateWebhook } from "./mutations";
import type { WebhookView } from "./queries";

/** Confirms a delete or a secret rotation; a rotation hands the new secret to the caller. */
export function ConfirmWebhook({ kind, hook, onCancel, onRotated }: { kind: "delete" | "rotate"; hook: WebhookView; onCancel: () => void; onRotated: (secret: string) => void }) {
  const toast = useToast();
  const run = useDeleteOrRotateWebhook(kind, hook);
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
