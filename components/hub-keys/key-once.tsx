"use client";

import { useId, useState } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { allowsAnthropic, SNIPPET_KINDS, type SnippetKind, snippet } from "./snippets";

/**
 * A new hub key, shown this once, with ready-to-paste examples that point at this hub (the origin
 * the admin reached it at) and already hold the key.
 */
export function KeyOnce({ name, hubKey, allowed, rotated, onDone }: { name: string; hubKey: string; allowed: string[]; rotated: boolean; onDone: () => void }) {
  const [kind, setKind] = useState<SnippetKind>("curl");
  const id = useId();
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const code = snippet(kind, origin, hubKey, allowed);
  return (
    <div className="key-once">
      <p>
        {rotated ? "The new key of " : "The key of "}
        <strong>{name}</strong>. Copy it now: it is not shown again.
        {rotated && " The previous key no longer works."}
      </p>
      <code className="key-preview secret-once" aria-label="Hub key">
        {hubKey}
      </code>
      <CopyButton text={hubKey} label="Copy key" />
      <fieldset className="snippet-kinds">
        <legend>Use it</legend>
        {Object.entries(SNIPPET_KINDS).map(([k, label]) => (
          <label key={k} className="small">
            <input type="radio" name={`${id}-kind`} value={k} checked={kind === k} onChange={() => setKind(k as SnippetKind)} /> {label}
          </label>
        ))}
      </fieldset>
      {kind === "anthropic" && !allowsAnthropic(allowed) && <p className="small outcome-warn">This key is not allowed Anthropic models: add <code>anthropic/*</code> to its allowed models first.</p>}
      <pre className="snippet" aria-label={`${SNIPPET_KINDS[kind]} example`} tabIndex={0}>
        <code>{code}</code>
      </pre>
      <CopyButton text={code} label="Copy example" />
      <div className="dialog-actions">
        <button type="button" onClick={onDone} data-initial-focus>
          Done
        </button>
      </div>
    </div>
  );
}
