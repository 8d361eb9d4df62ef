"use client";

import { useState } from "react";

/** A new signing secret, shown this once with a copy button. */
export function SecretOnce({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div>
      <p>
        The signing secret of <strong>{name}</strong>. Copy it now: it is not shown again. Receivers check the <code>X-LLMHub-Signature</code> header with it (see the README).
      </p>
      <p>
        <code className="key-preview secret-once" aria-label="Signing secret">
          {secret}
        </code>
      </p>
      <p role="status">{copied ? "Copied to the clipboard." : ""}</p>
      <div className="dialog-actions">
        <button type="button" className="btn-secondary" onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => setCopied(false))}>
          Copy
        </button>
        <button type="button" className="btn-primary" onClick={onDone} data-initial-focus>
          Done
        </button>
      </div>
    </div>
  );
}
