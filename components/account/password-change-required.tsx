"use client";

import { ChangePasswordForm } from "./change-password-form";
import "./account.css";

/**
 * What a user signed in with a one-time password sees instead of any page, until they choose their
 * own password (the API refuses them everything else too: 403 password_change_required).
 */
export function PasswordChangeRequired({ email, minLength }: { email: string; minLength: number }) {
  return (
    <section aria-labelledby="must-change-title" className="account">
      <div className="tab-head">
        <h1 id="must-change-title" tabIndex={-1}>
          Choose your password
        </h1>
        <p className="muted">{email} signed in with a one-time password. Choose your own to continue.</p>
      </div>
      <div className="card">
        <ChangePasswordForm minLength={minLength} onChanged={() => window.location.reload()} />
      </div>
    </section>
  );
}
