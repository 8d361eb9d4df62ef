"use client";

import { useState } from "react";
import { explainFailure } from "@/components/client/action-call";
import { useToast } from "@/components/ui/toaster";
import { createBody, EMPTY_FORM, type HubKeyFormValues, labelled, patchBody, valuesOf } from "./form-values";
import { useCreateHubKey, usePatchHubKey } from "./mutations";
import type { HubKeyRow } from "./queries";

interface Props {
  /** The key being edited; none to create one. */
  row?: HubKeyRow;
  /** After a create: the new key, to be shown once. */
  onCreated: (name: string, key: string, allowed: string[]) => void;
  onDone: () => void;
}

/** Create a key, or edit one's settings (the key itself never changes here: that is Rotate). */
export function HubKeyForm({ row, onCreated, onDone }: Props) {
  const before = row ? valuesOf(row) : EMPTY_FORM;
  return row ? <EditForm row={row} before={before} onDone={onDone} /> : <CreateForm before={before} onCreated={onCreated} onCancel={onDone} />;
}

function CreateForm({ before, onCreated, onCancel }: { before: HubKeyFormValues; onCreated: Props["onCreated"]; onCancel: () => void }) {
  const create = useCreateHubKey();
  const [v, setV] = useState(before);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!create.isPending) create.mutate(createBody(v), { onSuccess: (d) => onCreated(d.hub_key.name, d.key, d.hub_key.allowed) });
      }}
    >
      <Fields v={v} onChange={setV} />
      <FormError error={create.isError ? create.error : null} />
      <div className="dialog-actions">
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" aria-disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create key"}
        </button>
      </div>
    </form>
  );
}

function EditForm({ row, before, onDone }: { row: HubKeyRow; before: HubKeyFormValues; onDone: () => void }) {
  const patch = usePatchHubKey(row);
  const toast = useToast();
  const [v, setV] = useState(before);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (patch.isPending) return;
        const changes = patchBody(before, v);
        if (Object.keys(changes).length === 0) return onDone();
        patch.mutate(changes, {
          onSuccess: (d) => {
            toast(`Saved ${d.hub_key.name}.`, "success");
            onDone();
          },
        });
      }}
    >
      <Fields v={v} onChange={setV} />
      <FormError error={patch.isError ? patch.error : null} />
      <div className="dialog-actions">
        <button type="button" className="btn-secondary" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" aria-disabled={patch.isPending}>
          {patch.isPending ? "Saving…" : "Save changes"}
        </button>
      </div>
    </form>
  );
}

function FormError({ error }: { error: unknown }) {
  return (
    <div role="alert" className="form-error">
      {error !== null && <p className="error">{labelled(explainFailure(error))}</p>}
    </div>
  );
}

const SCOPE_CHOICES: [string, string][] = [
  ["gateway", "Gateway: call LLMs through the hub"],
  ["ingest", "Ingest: send usage records"],
];

/** The fields, each with a hint saying what an empty value means. */
function Fields({ v, onChange }: { v: HubKeyFormValues; onChange: (v: HubKeyFormValues) => void }) {
  const field = (k: Exclude<keyof HubKeyFormValues, "scopes">) => ({ value: v[k], onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => onChange({ ...v, [k]: e.target.value }) });
  return (
    <div className="hub-key-fields">
      <div className="field">
        <label htmlFor="hk-name">Name</label>
        <input id="hk-name" required maxLength={100} autoComplete="off" {...field("name")} />
      </div>
      <div className="field">
        <label htmlFor="hk-owner">Owner</label>
        <input id="hk-owner" maxLength={200} autoComplete="off" placeholder="A team or an app" {...field("owner")} />
      </div>
      <div className="field field-wide">
        <label htmlFor="hk-allowed">Allowed models</label>
        <textarea id="hk-allowed" rows={2} autoComplete="off" spellCheck={false} aria-describedby="hk-allowed-hint" placeholder="openai/*, groq/llama-*" {...field("allowed")} />
        <p id="hk-allowed-hint" className="muted small">
          Patterns as <code>route/model</code>, separated by commas; <code>*</code> matches anything. Empty: every configured provider.
        </p>
      </div>
      <fieldset className="field field-wide scope-choice" aria-describedby="hk-scopes-hint">
        <legend>Use for</legend>
        {SCOPE_CHOICES.map(([scope, label]) => (
          <label key={scope}>
            <input
              type="checkbox"
              checked={v.scopes.includes(scope)}
              onChange={(e) => onChange({ ...v, scopes: e.target.checked ? [...v.scopes, scope] : v.scopes.filter((s) => s !== scope) })}
            />
            {label}
          </label>
        ))}
        <p id="hk-scopes-hint" className="muted small">
          At least one. Ingest keys post usage from elsewhere (LiteLLM, batch jobs) to <code>/api/v1/llm/usage/events</code>.
        </p>
      </fieldset>
      <div className="field">
        <label htmlFor="hk-rpm">Requests per minute</label>
        <input id="hk-rpm" type="number" min={1} step={1} inputMode="numeric" aria-describedby="hk-rpm-hint" {...field("rpm")} />
        <p id="hk-rpm-hint" className="muted small">
          Empty: no limit.
        </p>
      </div>
      <div className="field">
        <label htmlFor="hk-budget">Monthly budget (USD)</label>
        <input id="hk-budget" type="number" min={0.01} step={0.01} inputMode="decimal" aria-describedby="hk-budget-hint" {...field("budget")} />
        <p id="hk-budget-hint" className="muted small">
          Per calendar month (UTC). Empty: no budget.
        </p>
      </div>
      <div className="field">
        <label htmlFor="hk-expires">Expires on</label>
        <input id="hk-expires" type="date" aria-describedby="hk-expires-hint" {...field("expires")} />
        <p id="hk-expires-hint" className="muted small">
          Stops at 00:00 UTC that day. Empty: never.
        </p>
      </div>
    </div>
  );
}
