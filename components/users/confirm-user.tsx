"use client";

import { ConfirmRemoveOrRenew } from "@/components/ui/confirm-actions";
import { useDeleteOrResetUser } from "./mutations";
import type { UserView } from "./queries";

/** Confirms a delete or a password reset; a reset hands the one-time password to the caller. */
export function ConfirmUser({ kind, user, onCancel, onReset }: { kind: "delete" | "reset"; user: UserView; onCancel: () => void; onReset: (password: string) => void }) {
  const run = useDeleteOrResetUser(kind, user);
  return (
    <ConfirmRemoveOrRenew
      renew={kind === "reset"}
      run={run}
      secretOf={(d) => d.password}
      onRenewed={onReset}
      removed={`Removed ${user.email}.`}
      message={
        kind === "delete"
          ? `${user.email} can no longer sign in, and every session they have ends now. This cannot be undone; the audit log keeps what they did.`
          : `${user.email} gets a new one-time password (shown once) and must choose their own at the next sign-in. Every session they have ends now.`
      }
      label={kind === "delete" ? "Delete user" : "Reset password"}
      pendingLabel={kind === "delete" ? "Deleting…" : "Resetting…"}
      onCancel={onCancel}
    />
  );
}
