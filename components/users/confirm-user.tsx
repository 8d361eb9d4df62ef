"use client";

import { explainFailure } from "@/components/client/action-call";
import { useToast } from "@/components/ui/toaster";
import { useDeleteOrResetUser } from "./mutations";
import type { UserView } from "./queries";

/** Confirms a delete or a password reset; a reset hands the one-time password to the caller. */
export function ConfirmUser({ kind, user, onCancel, onReset }: { kind: "delete" | "reset"; user: UserView; onCancel: () => void; onReset: (password: string) => void }) {
  const toast = useToast();
  const run = useDeleteOrResetUser(kind, user);
  return (
    <div>
      <p>
        {kind === "delete"
          ? `${user.email} can no longer sign in, and every session they have ends now. This cannot be undone; the audit log keeps what they did.`
          : `${user.email} gets a new one-time password (shown once) and must choose their own at the next sign-in. Every session they have ends now.`}
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
                if (kind === "reset" && d.password) onReset(d.password);
                else {
                  toast(`Removed ${user.email}.`, "success");
                  onCancel();
                }
              },
            })
          }
        >
          {run.isPending ? (kind === "delete" ? "Deleting…" : "Resetting…") : kind === "delete" ? "Delete user" : "Reset password"}
        </button>
      </div>
    </div>
  );
}
