"use client";

import { ConfirmActions } from "@/components/ui/confirm-actions";
import { useToast } from "@/components/ui/toaster";
import { useDeleteOrRotateWebhook } from "./mutations";
import type { WebhookView } from "./queries";

/** Confirms a delete or a secret rotation; a rotation hands the new secret to the caller. */
export function ConfirmWebhook({ kind, hook, onCancel, onRotated }: { kind: "delete" | "rotate"; hook: WebhookView; onCancel: () => void; onRotated: (secret: string) => void }) {
  const toast = useToast();
  const run = useDeleteOrRotateWebhook(kind, hook);
  return (
    <ConfirmActions
      message={
        kind === "delete"
          ? `${hook.name} will stop receiving alerts, and its delivery history goes with it.`
          : `A new signing secret replaces the current one at once: update the receiver of ${hook.name} right after.`
      }
      danger={kind === "delete"}
      label={kind === "delete" ? "Delete webhook" : "Rotate secret"}
      pendingLabel={kind === "delete" ? "Deleting…" : "Rotating…"}
      pending={run.isPending}
      error={run.isError ? run.error : null}
      onCancel={onCancel}
      onConfirm={() =>
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
    />
  );
}
