"use client";

import { ConfirmRemoveOrRenew } from "@/components/ui/confirm-actions";
import { useDeleteOrRotateHubKey } from "./mutations";
import type { HubKeyRow } from "./queries";

/** Confirms a delete or a rotation, saying what stops working; a rotation hands the new key to the caller. */
export function ConfirmHubKey({ kind, row, onCancel, onRotated }: { kind: "delete" | "rotate"; row: HubKeyRow; onCancel: () => void; onRotated: (key: string) => void }) {
  const run = useDeleteOrRotateHubKey(kind, row);
  return (
    <ConfirmRemoveOrRenew
      renew={kind === "rotate"}
      run={run}
      secretOf={(d) => d.key}
      onRenewed={onRotated}
      removed={`Deleted hub key ${row.name}.`}
      message={
        kind === "delete" ? (
          <>
            Every app using <code>{row.key_preview}</code>
            {row.owner ? ` (${row.owner})` : ""} is refused from now on, on every instance of the hub. This cannot be undone; the key&apos;s usage stays in the reports.
          </>
        ) : (
          <>
            A new key replaces <code>{row.key_preview}</code> at once: apps still using the current key are refused until they get the new one. Its settings, budget and usage stay.
          </>
        )
      }
      label={kind === "delete" ? "Delete key" : "Rotate key"}
      pendingLabel={kind === "delete" ? "Deleting…" : "Rotating…"}
      onCancel={onCancel}
    />
  );
}
