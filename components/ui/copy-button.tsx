"use client";

import { useState } from "react";

/** Copies `text` and says so (in a live region next to it), or says that the browser refused. */
export function CopyButton({ text, label, className = "btn-secondary" }: { text: string; label: string; className?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <span className="copy">
      <button
        type="button"
        className={className}
        onClick={() => {
          const done = navigator.clipboard?.writeText(text);
          if (!done) return setState("failed");
          done.then(() => setState("copied"), () => setState("failed"));
        }}
      >
        {label}
      </button>
      <span role="status" className="small muted">
        {state === "copied" ? "Copied." : state === "failed" ? "Could not copy: select the text and copy it." : ""}
      </span>
    </span>
  );
}
