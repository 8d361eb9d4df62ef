"use client";

import { explainFailure } from "@/components/client/action-call";
import { useCreateWebhook } from "./mutations";

/** The add form; on success the caller shows the new signing secret once. */
export function AddWebhookForm({ onCreated, onCancel }: { onCreated: (name: string, secret: string) => void; onCancel: () => void }) {
  const create = useCreateWebhook();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (create.isPending) return;
        const f = new FormData(e.currentTarget);
        const input = { name: String(f.get("name") ?? ""), url: String(f.get("url") ?? ""), kind: f.get("kind") === "slack" ? ("slack" as const) : ("generic" as const) };
        create.mutate(input, { onSuccess: (d) => onCreated(d.webhook.name, d.secret) });
      }}
    >
      <label className="field">
        <span>Name</span>
        <input name="name" required maxLength={100} autoComplete="off" />
      </label>
      <label className="field">
        <span>URL</span>
        <input name="url" type="url" required maxLength={2048} autoComplete="off" placeholder="https://hooks.slack.com/services/…" />
      </label>
      <label className="field">
        <span>Format</span>
        <select name="kind" defaultValue="generic">
          <option value="generic">JSON (signed)</option>
          <option value="slack">Slack-compatible</option>
        </select>
      </label>
      <div role="alert" className="form-error">
        {create.isError && <p className="error">{explainFailure(create.error)}</p>}
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn-primary" aria-disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add webhook"}
        </button>
      </div>
    </form>
  );
}
