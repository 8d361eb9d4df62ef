"use client";

import { explainFailure } from "@/components/client/action-call";
import { useToast } from "@/components/ui/toaster";
import { useDeleteOrRotateHubKey } from "./mutations";
import type { HubKeyRow } from "./queries";

/** Confirms a delete or a rotation, saying what stops working; a rotation hands the new key to the caller. */
export function ConfirmHubKey({ kind, row, onCancel, onRotated }: { kind: "delete" | "rotate"; row: HubKeyRow; onCancel: () => void; onRotated: (key: string) => void }) {
  const toast = useToast();
  const run = useDeleteOrRotateHubKey(kind, row);
  return (
    <div>
      {kind === "delete" ? (
        <p>
          Every app using <code>{row.key_preview}</code>
          {row.owner ? ` (${row.owner})` : ""} is refused from now on, on every instance of the hub. This cannot be undone; the key&apos;s usage stays in the reports.
        </p>
      ) : (
        <p>
          A new key replaces <code>{row.key_preview}</code> at once: apps still using the current key are refused until they get the new one. Its settings, budget and usage stay.
        </p>
      )}
      <div role="alert" className="form-error">
        {run.isError && <p className="error">{explainFailure(run.error)}</p>}
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn-secondary" onClick={onCancel} data-initial-focus>
          Cancel
        </button>
        <button
          type="button"
          className={kind === "delete" ? "btn-danger-solid" : undefined}
          aria-disabled={run.isPending}
          onClick={() =>
            !run.isPending &&
            run.mutate(undefined, {
              onSuccess: (d) => {
                if (kind === "rotate" && d.key) onRotated(d.key);
                else {
                  toast(`Deleted hub key ${row.name}.`, "success");
                  onCancel();
                }
              },
            })
          }
        >
          {run.isPending ? (kind === "delete" ? "Deleting…" : "Rotating…") : kind === "delete" ? "Delete key" : "Rotate key"}
        </button>
      </div>
    </div>
  );
}
