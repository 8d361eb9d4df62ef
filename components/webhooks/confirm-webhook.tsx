"use client";

import { ConfirmRemoveOrRenew } from "@/components/ui/confirm-actions";
import { useDeleteOrRotateWebhook } from "./mutations";
import type { WebhookView } from "./queries";

/** Confirms a delete or a secret rotation; a rotation hands the new secret to the caller. */
export function ConfirmWebhook({ kind, hook, onCancel, onRotated }: { kind: "delete" | "rotate"; hook: WebhookView; onCancel: () => void; onRotated: (secret: string) => void }) {
  const run = useDeleteOrRotateWebhook(kind, hook);
  return (
    <ConfirmRemoveOrRenew
      renew={kind === "rotate"}
      run={run}
      secretOf={(d) => d.secret}
      onRenewed={onRotated}
      removed={`Removed webhook ${hook.name}.`}
      message={
        kind === "delete"
          ? `${hook.name} will stop receiving alerts, and its delivery history goes with it.`
          : `A new signing secret replaces the current one at once: update the receiver of ${hook.name} right after.`
      }
      label={kind === "delete" ? "Delete webhook" : "Rotate secret"}
      pendingLabel={kind === "delete" ? "Deleting…" : "Rotating…"}
      onCancel={onCancel}
    />
  );
}
