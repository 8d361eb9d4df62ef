"use client";

import { explainFailure } from "@/components/client/action-call";
import { useCreateUser } from "./mutations";

/** The add form; on success the caller shows the one-time password once. */
export function AddUserForm({ onCreated, onCancel }: { onCreated: (email: string, password: string) => void; onCancel: () => void }) {
  const create = useCreateUser();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (create.isPending) return;
        const f = new FormData(e.currentTarget);
        const input = { email: String(f.get("email") ?? ""), role: f.get("role") === "admin" ? ("admin" as const) : ("viewer" as const) };
        create.mutate(input, { onSuccess: (d) => onCreated(d.user.email, d.password ?? "") });
      }}
    >
      <label className="field">
        <span>Email</span>
        <input name="email" type="email" required maxLength={254} autoComplete="off" />
      </label>
      <label className="field">
        <span>Role</span>
        <select name="role" defaultValue="viewer">
          <option value="viewer">Viewer (signs in; no admin tabs)</option>
          <option value="admin">Admin</option>
        </select>
      </label>
      <p className="muted small">A one-time password is generated and shown once; they choose their own at first sign-in.</p>
      <div role="alert" className="form-error">
        {create.isError && <p className="error">{explainFailure(create.error)}</p>}
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn-primary" aria-disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add user"}
        </button>
      </div>
    </form>
  );
}
