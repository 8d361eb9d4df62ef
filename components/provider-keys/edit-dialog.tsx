"use client";

import { useId, useState } from "react";
import { ProviderLogo } from "@/components/provider-logos/provider-logo";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { explainFailure } from "@/components/client/action-call";
import { useToast } from "@/components/ui/toaster";
import { leavesOrigin, originOf } from "@/lib/provider-keys/endpoint-origin";
import { type PatchKeyInput, patchKeySchema } from "@/lib/provider-keys/schemas";
import { PROVIDERS } from "@/lib/providers/catalogue";
import { KeyField } from "./key-field";
import { usePatchKey } from "./mutations";
import { rowDomId } from "./provider-card";
import type { ProviderRow } from "./queries";

/**
 * Rename, enable/disable, reprioritise, or move a custom endpoint, without re-entering its key; moving
 * a stored key to another host takes the key again (the server refuses the move without it).
 */
export function EditDialog({ row, onClose }: { row: ProviderRow | null; onClose: () => void }) {
  return (
    <ModalDialog
      open={row !== null}
      onClose={onClose}
      title={row ? `Edit ${row.name}` : ""}
      icon={row && <ProviderLogo type={row.provider_type} />}
      initialFocus="[data-initial-focus]"
      fallbackFocusId={row ? rowDomId(row) : undefined}
    >
      {row && <EditForm row={row} onClose={onClose} />}
    </ModalDialog>
  );
}

function EditForm({ row, onClose }: { row: ProviderRow; onClose: () => void }) {
  const id = useId();
  const custom = row.provider_type === "custom";
  const [name, setName] = useState(row.name);
  const [enabled, setEnabled] = useState(row.enabled);
  const [priority, setPriority] = useState(String(row.priority));
  const [baseUrl, setBaseUrl] = useState(row.config.base_url ?? "");
  const [apiKey, setApiKey] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);
  const patch = usePatchKey(row.id);
  const toast = useToast();
  const urlChanged = custom && baseUrl.trim() !== (row.config.base_url ?? "");
  // another origin for a stored key: ask for the key (an address that does not parse is refused anyway)
  const newHost = urlChanged && row.key_source === "database" && originOf(baseUrl) !== null && leavesOrigin(row.config.base_url, baseUrl) ? originOf(baseUrl) : null;

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (patch.isPending) return;
    // Only what changed is sent; the key is never part of it ("empty means keep").
    const changes: Record<string, unknown> = {};
    if (name.trim() !== row.name) changes.name = name;
    if (enabled !== row.enabled) changes.enabled = enabled;
    if (priority.trim() !== String(row.priority)) changes.priority = priority.trim() === "" ? Number.NaN : Number(priority);
    if (urlChanged) changes.config = { base_url: baseUrl };
    if (newHost) {
      if (apiKey.trim() === "") {
        setInvalid(`API key: enter the key again to move this endpoint to ${newHost}`);
        e.currentTarget.querySelector<HTMLElement>('[name="api_key"]')?.focus();
        return;
      }
      changes.api_key = apiKey;
    }
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    const parsed = patchKeySchema.safeParse(changes);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      setInvalid(`${LABELS[String(issue?.path[0])] ?? "Form"}: ${issue?.message ?? "invalid"}`);
      return;
    }
    setInvalid(null);
    patch.mutate(parsed.data satisfies PatchKeyInput, {
      onSuccess: (updated) => {
        toast(`Saved changes to ${updated.name}${"enabled" in changes ? ` (${updated.enabled ? "enabled" : "disabled"})` : ""}.`, "success");
        onClose();
      },
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-busy={patch.isPending}>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required data-initial-focus />
      </div>
      <div className="field checkbox">
        <input id={`${id}-enabled`} name="enabled" type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} aria-describedby={`${id}-enabled-hint`} />
        <label htmlFor={`${id}-enabled`}>Enabled</label>
      </div>
      <p id={`${id}-enabled-hint`} className="muted small">
        A disabled provider keeps its key but is skipped by background checks and by anything that uses keys.
      </p>
      <div className="field">
        <label htmlFor={`${id}-priority`}>Priority</label>
        <input id={`${id}-priority`} name="priority" type="number" inputMode="numeric" min={-1000} max={1000} step={1} value={priority} onChange={(e) => setPriority(e.target.value)} aria-describedby={`${id}-priority-hint`} />
        <p id={`${id}-priority-hint`} className="muted small">
          From -1000 to 1000; higher comes first among providers that have a key.
        </p>
      </div>
      {custom && (
        <div className="field">
          <label htmlFor={`${id}-url`}>Base URL</label>
          <input id={`${id}-url`} name="base_url" type="url" inputMode="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} className="mono" aria-describedby={`${id}-url-hint`} />
          <p id={`${id}-url-hint`} className="muted small">
            Changing it clears the last test result: test again afterwards.
          </p>
          <p className="warn small" aria-live="polite">
            {newHost && (
              <>
                This moves the endpoint to another host ({newHost}, was {originOf(row.config.base_url) ?? "an unreadable address"}). The stored key is only
                ever sent to the host it was entered for, so that changing an address cannot hand it to someone else: enter the key to use there.
              </>
            )}
          </p>
        </div>
      )}
      {newHost ? (
        <>
          <KeyField
            provider={PROVIDERS.custom}
            value={apiKey}
            onChange={(v) => {
              setApiKey(v);
              setInvalid(null);
            }}
            error={null}
          />
          <p className="muted small">
            It replaces the stored key{row.key_preview ? <> (<code className="key-preview">{row.key_preview}</code>)</> : null}.
          </p>
        </>
      ) : (
        <p className="muted small">
          The stored key is kept{row.key_preview ? <> (<code className="key-preview">{row.key_preview}</code>)</> : null}. To change it, use {row.key_source === "database" ? "Replace key" : "Add key"}.
        </p>
      )}
      <div role="alert" className="form-error">
        {invalid && <p className="error">{invalid}</p>}
        {patch.isError && <p className="error">{explainFailure(patch.error)}</p>}
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn-secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" aria-disabled={patch.isPending}>
          {patch.isPending ? "Saving…" : "Save changes"}
        </button>
      </div>
    </form>
  );
}

const LABELS: Record<string, string> = { name: "Name", enabled: "Enabled", priority: "Priority", config: "Base URL", api_key: "API key" };
