"use client";

import { useEffect, useId, useRef, useState } from "react";
import { ProviderLogo } from "@/components/provider-logos/provider-logo";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { explainFailure } from "@/components/client/action-call";
import { useToast } from "@/components/ui/toaster";
import { PROVIDERS } from "@/lib/providers/catalogue";
import { saveKeySchema } from "@/lib/provider-keys/schemas";
import { providerOf } from "./advice";
import { KeyField } from "./key-field";
import { useSaveKey } from "./mutations";
import { isPlaceholder, rowDomId } from "./provider-card";
import type { ProviderRow } from "./queries";
import { SaveResult } from "./save-result";

/** `row` null: a new custom endpoint. */
export interface KeyTarget {
  row: ProviderRow | null;
}

function titleOf({ row }: KeyTarget): string {
  if (!row || isPlaceholder(row)) return "Add a custom endpoint";
  return `${row.key_source === "database" ? "Replace" : "Add"} ${row.provider_type === "custom" ? `the key for ${row.name}` : `${row.name} key`}`;
}

/** Add or replace a key: it is tested as it is saved, and the test's result is shown here. */
export function KeyDialog({ target, onClose }: { target: KeyTarget | null; onClose: () => void }) {
  return (
    <ModalDialog
      open={target !== null}
      onClose={onClose}
      title={target ? titleOf(target) : ""}
      icon={target && <ProviderLogo type={target.row?.provider_type ?? "custom"} />}
      initialFocus="[data-initial-focus]"
      fallbackFocusId={target?.row ? rowDomId(target.row) : undefined}
    >
      {target && <KeyForm row={target.row} onClose={onClose} />}
    </ModalDialog>
  );
}

function KeyForm({ row, onClose }: { row: ProviderRow | null; onClose: () => void }) {
  const id = useId();
  const provider = row ? providerOf(row) : PROVIDERS.custom;
  const custom = provider.type === "custom";
  const newEndpoint = !row || isPlaceholder(row);
  const [name, setName] = useState(row && custom ? row.name : "");
  const [baseUrl, setBaseUrl] = useState(row?.config.base_url ?? "");
  const [apiKey, setApiKey] = useState("");
  const [requireValid, setRequireValid] = useState(false);
  const [fieldError, setFieldError] = useState<{ field: string; message: string } | null>(null);
  const save = useSaveKey(row?.id ?? "new");
  const toast = useToast();
  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);

  if (save.data) {
    // Built-in rows exist from the start, so for them `created` is always false: ask the row instead.
    const replaced = row ? row.key_source === "database" : !save.data.created;
    return <SaveResult data={save.data} replaced={replaced} provider={provider} onDone={onClose} />;
  }

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (save.isPending) return;
    const input = {
      provider_type: provider.type,
      api_key: apiKey,
      ...(custom ? { name, config: { base_url: baseUrl } } : {}),
      ...(requireValid ? { require_valid: true } : {}),
    };
    // The same schema the API and the server action use: field errors before a round trip.
    const parsed = saveKeySchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = String(issue?.path.at(-1) ?? "api_key");
      setFieldError({ field, message: `${LABELS[field] ?? field}: ${issue?.message ?? "invalid"}` });
      e.currentTarget.querySelector<HTMLElement>(`[name="${field}"]`)?.focus();
      return;
    }
    setFieldError(null);
    save.mutateAsync(parsed.data).then(
      (data) => !mounted.current && toast(`${data.name}: key saved. ${data.test_result.success ? "Its test passed." : `Its test failed: ${data.test_result.error}`}`, data.test_result.success ? "success" : "error"),
      (err) => !mounted.current && toast(`Could not save the key: ${explainFailure(err)}`, "error"),
    );
  }

  const errorFor = (field: string) => (fieldError?.field === field ? fieldError.message : null);
  return (
    <form onSubmit={submit} noValidate aria-busy={save.isPending}>
      {custom && newEndpoint && (
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} name="name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} data-initial-focus aria-invalid={errorFor("name") ? true : undefined} aria-describedby={`${id}-name-hint`} />
          <p id={`${id}-name-hint`} className={errorFor("name") ? "error small" : "muted small"}>
            {errorFor("name") ?? "How this endpoint is listed; saving again under the same name replaces its key."}
          </p>
        </div>
      )}
      {custom && (
        <div className="field">
          <label htmlFor={`${id}-url`}>Base URL</label>
          <input id={`${id}-url`} name="base_url" type="url" inputMode="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} required placeholder="https://llm.example.com/v1" aria-invalid={errorFor("base_url") ? true : undefined} aria-describedby={`${id}-url-hint`} className="mono" />
          <p id={`${id}-url-hint`} className={errorFor("base_url") ? "error small" : "muted small"}>
            {errorFor("base_url") ?? "The OpenAI-compatible API root; the test calls its /models."}
          </p>
        </div>
      )}
      <KeyField provider={provider} value={apiKey} onChange={setApiKey} error={errorFor("api_key")} />
      <div className="field checkbox">
        <input id={`${id}-require`} type="checkbox" checked={requireValid} onChange={(e) => setRequireValid(e.target.checked)} />
        <label htmlFor={`${id}-require`}>Only save the key if its test passes</label>
      </div>
      <p className="muted small">The key is tested against {provider.displayName} as it is saved, then stored encrypted. It is never shown again.</p>
      <div role="alert" className="form-error">
        {save.isError && <p className="error">{explainFailure(save.error)}</p>}
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn-secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" aria-disabled={save.isPending}>
          {save.isPending ? "Testing and saving…" : "Save and test"}
        </button>
      </div>
    </form>
  );
}

const LABELS: Record<string, string> = { api_key: "API key", name: "Name", base_url: "Base URL" };
