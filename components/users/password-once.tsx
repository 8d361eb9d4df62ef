"use client";

import { CopyButton } from "@/components/ui/copy-button";

/** A generated one-time password, shown this once with a copy button. */
export function PasswordOnce({ email, password, reset, onDone }: { email: string; password: string; reset: boolean; onDone: () => void }) {
  return (
    <div className="key-once">
      <p>
        {reset ? "The new one-time password of " : "The one-time password of "}
        <strong>{email}</strong>. Copy it now and hand it over safely: it is not shown again. They must choose their own password when they first sign in with it.
        {reset && " Their sessions have been signed out."}
      </p>
      <code className="key-preview secret-once" aria-label="One-time password">
        {password}
      </code>
      <CopyButton text={password} label="Copy password" />
      <div className="dialog-actions">
        <button type="button" className="btn-primary" onClick={onDone} data-initial-focus>
          Done
        </button>
      </div>
    </div>
  );
}
