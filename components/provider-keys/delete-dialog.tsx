"use client";

import { ProviderLogo } from "@/components/provider-logos/provider-logo";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { explainFailure } from "@/components/client/action-call";
import { useToast } from "@/components/ui/toaster";
import { PROVIDERS, isProviderType } from "@/lib/providers/catalogue";
import { useDeleteKey } from "./mutations";
import { rowDomId } from "./provider-card";
import type { ProviderRow } from "./queries";

/** What happens after the stored key goes, in one sentence. */
function consequence(row: ProviderRow, envFallback: boolean): string {
  if (row.provider_type === "custom") return `The custom endpoint ${row.name} will be removed from the list.`;
  const envVar = isProviderType(row.provider_type) ? PROVIDERS[row.provider_type].envVars[0] : undefined;
  return envFallback
    ? `The environment key (${envVar}) will take over for ${row.name}.`
    : `${row.name} will have no key until you add one${envVar ? ` (${envVar} is not set on the server)` : ""}.`;
}

/** Confirms which key goes and what takes its place; pending until the list shows the change. */
export function DeleteDialog({ row, envFallback, onClose }: { row: ProviderRow | null; envFallback: boolean; onClose: () => void }) {
  return (
    <ModalDialog
      open={row !== null}
      onClose={onClose}
      title={row ? `Delete the ${row.name} key?` : ""}
      icon={row && <ProviderLogo type={row.provider_type} />}
      initialFocus="[data-initial-focus]"
      fallbackFocusId={row?.provider_type === "custom" ? "provider-list-title" : row ? rowDomId(row) : undefined}
    >
      {row && <DeleteConfirm row={row} envFallback={envFallback} onClose={onClose} />}
    </ModalDialog>
  );
}

function DeleteConfirm({ row, envFallback, onClose }: { row: ProviderRow; envFallback: boolean; onClose: () => void }) {
  const remove = useDeleteKey(row.id);
  const toast = useToast();
  const after = consequence(row, envFallback);
  return (
    <div>
      <p>
        The stored key <code className="key-preview">{row.key_preview}</code> for <strong>{row.name}</strong> will be deleted. This cannot be undone.
      </p>
      <p>{after}</p>
      <div role="alert" className="form-error">
        {remove.isError && <p className="error">{explainFailure(remove.error)}</p>}
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn-secondary" onClick={onClose} data-initial-focus>
          Cancel
        </button>
        <button
          type="button"
          className="btn-danger-solid"
          aria-disabled={remove.isPending}
          onClick={() =>
            !remove.isPending &&
            remove.mutate(undefined, {
              onSuccess: () => {
                toast(`Deleted the ${row.name} key. ${after}`, "success");
                onClose();
              },
            })
          }
        >
          {remove.isPending ? "Deleting…" : row.provider_type === "custom" ? "Delete endpoint" : "Delete key"}
        </button>
      </div>
    </div>
  );
}
