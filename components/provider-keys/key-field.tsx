"use client";

import { useId, useState } from "react";
import { formatWarnings } from "@/lib/providers/format-hints";
import type { ProviderInfo } from "@/lib/providers/catalogue";

interface Props {
  provider: ProviderInfo;
  value: string;
  onChange: (value: string) => void;
  error: string | null;
}

/**
 * The key input: hidden by default with a show/hide toggle (reset whenever the dialog reopens,
 * since the dialog remounts its content), the provider's format and where to get a key, and a live
 * warning when the key does not look like this provider's. The warning never blocks saving.
 */
export function KeyField({ provider, value, onChange, error }: Props) {
  const id = useId();
  const [shown, setShown] = useState(false);
  const warnings = value.trim().length >= 8 ? formatWarnings(provider.type, value) : [];
  return (
    <div className="field">
      <label htmlFor={`${id}-key`}>API key</label>
      <div className="key-input">
        <input
          id={`${id}-key`}
          name="api_key"
          type={shown ? "text" : "password"}
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="off"
          required
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-hint ${id}-warn${error ? ` ${id}-err` : ""}`}
          data-initial-focus
          className="mono"
        />
        <button type="button" className="btn-secondary" aria-pressed={shown} onClick={() => setShown((s) => !s)}>
          {shown ? "Hide" : "Show"}
          <span className="sr-only"> key</span>
        </button>
      </div>
      <p id={`${id}-hint`} className="muted small">
        {formatHint(provider)}{" "}
        {provider.docsUrl && (
          <a href={provider.docsUrl} target="_blank" rel="noreferrer noopener">
            Create a key at {provider.displayName}<span className="sr-only"> (opens in a new tab)</span>
          </a>
        )}
      </p>
      <p id={`${id}-warn`} className="warn small" aria-live="polite">
        {warnings.length > 0 && <>Check the key: {warnings.join(" ")} You can still save it; the test will tell.</>}
      </p>
      {error && (
        <p id={`${id}-err`} className="error small">
          {error}
        </p>
      )}
    </div>
  );
}

function formatHint(provider: ProviderInfo): React.ReactNode {
  if (provider.type === "custom") return "Any key your endpoint accepts.";
  if (provider.keyFormat.startsWith("no ")) return `${provider.displayName} keys have ${provider.keyFormat}.`;
  return (
    <>
      {provider.displayName} keys usually look like <code>{provider.keyFormat}</code>.
    </>
  );
}
