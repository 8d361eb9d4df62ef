"use client";

import { ConfirmActions } from "@/components/ui/confirm-actions";
import { useToast } from "@/components/ui/toaster";
import { useDeleteOrResetUser } from "./mutations";
import type { UserView } from "./queries";

/** Confirms a delete or a password reset; a reset hands the one-time password to the caller. */
export function ConfirmUser({ kind, user, onCancel, onReset }: { kind: "delete" | "reset"; user: UserView; onCancel: () => void; onReset: (password: string) => void }) {
  const toast = useToast();
  const run = useDeleteOrResetUser(kind, user);
  return (
    <ConfirmActions
      message={
        kind === "delete"
          ? `${user.email} can no longer sign in, and every session they have ends now. This cannot be undone; the audit log keeps what they did.`
          : `${user.email} gets a new one-time password (shown once) and must choose their own at the next sign-in. Every session they have ends now.`
      }
      danger={kind === "delete"}
      label={kind === "delete" ? "Delete user" : "Reset password"}
      pendingLabel={kind === "delete" ? "Deleting…" : "Resetting…"}
      pending={run.isPending}
      error={run.isError ? run.error : null}
      onCancel={onCancel}
      onConfirm={() =>
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
    />
  );
}
