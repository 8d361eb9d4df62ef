"use client";

import { useEffect, useRef } from "react";
import type { ProviderInfo } from "@/lib/providers/catalogue";
import type { SaveData } from "./mutations";
import { TestOutcome } from "./test-outcome";

/** What a save did, shown in the dialog: saved or replaced, how its test went, and any warnings. */
export function SaveResult({ data, replaced, provider, onDone }: { data: SaveData; replaced: boolean; provider: ProviderInfo; onDone: () => void }) {
  const done = useRef<HTMLButtonElement>(null);
  useEffect(() => done.current?.focus(), []);
  const t = data.test_result;
  return (
    <div className="save-result">
      <div role="status">
        <p>
          <strong>
            {replaced ? "Key replaced" : "Key added"} for {data.name}
          </strong>{" "}
          (stored as <code className="key-preview">{data.key_preview}</code>).
        </p>
        {!t.success && <p>It was saved, but its test failed:</p>}
        <TestOutcome result={t} provider={provider} />
        {data.warnings.length > 0 && (
          <ul className="warn small">
            {data.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        )}
      </div>
      <div className="dialog-actions">
        <button type="button" ref={done} onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
