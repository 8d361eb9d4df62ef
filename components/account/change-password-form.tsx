"use client";

import { useState } from "react";
import { explainFailure } from "@/components/client/action-call";
import { useHydrated } from "@/components/client/use-hydrated";
import { useChangeOwnPassword } from "@/components/users/mutations";

/** Change your own password: the current one, the new one twice. Your other sessions are signed out. */
export function ChangePasswordForm({ minLength, onChanged }: { minLength: number; onChanged?: () => void }) {
  const change = useChangeOwnPassword();
  const [mismatch, setMismatch] = useState(false);
  // before hydration the browser would submit the form itself: method="post" keeps the passwords
  // out of the URL, and the disabled button keeps it from being sent at all (as on the sign-in form)
  const hydrated = useHydrated();
  return (
    <form
      method="post"
      data-hydrated={hydrated || undefined}
      onSubmit={(e) => {
        e.preventDefault();
        if (change.isPending) return;
        const form = e.currentTarget;
        const f = new FormData(form);
        const next = String(f.get("new_password") ?? "");
        setMismatch(next !== String(f.get("confirm") ?? ""));
        if (next !== String(f.get("confirm") ?? "")) return;
        change.mutate({ current_password: String(f.get("current_password") ?? ""), new_password: next }, { onSuccess: () => (form.reset(), onChanged?.()) });
      }}
    >
      <label className="field">
        <span>Current password</span>
        <input name="current_password" type="password" autoComplete="current-password" required />
      </label>
      <label className="field">
        <span>New password</span>
        <input name="new_password" type="password" autoComplete="new-password" required minLength={minLength} aria-describedby="new-password-rule" />
      </label>
      <p id="new-password-rule" className="muted small">
        At least {minLength} characters.
      </p>
      <label className="field">
        <span>New password again</span>
        <input name="confirm" type="password" autoComplete="new-password" required minLength={minLength} />
      </label>
      <div role="alert" className="form-error">
        {mismatch && <p className="error">The new password and its repetition differ.</p>}
        {change.isError && <p className="error">{explainFailure(change.error)}</p>}
      </div>
      <p role="status">{change.isSuccess ? change.data.message : ""}</p>
      <button type="submit" className="btn-primary" disabled={!hydrated} aria-disabled={change.isPending}>
        {change.isPending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
