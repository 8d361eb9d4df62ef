import type { ProviderInfo } from "@/lib/providers/catalogue";
import { adviceFor, successSummary } from "./advice";
import type { ProviderCredits } from "@/lib/providers/types";

/** Failures that are the provider's trouble (rate limit, outage, slowness), not the key's. */
export const DEGRADED: ReadonlySet<string> = new Set(["rate_limited", "provider_error", "timeout", "unreachable"]);

export interface TestSummary {
  success: boolean;
  latency_ms: number | null;
  models_found: number | null;
  error: string | null;
  error_code: string | null;
  /** OpenRouter: the key's credit as the test read it. */
  credits?: ProviderCredits | null;
}

/** A key test's result in words: what was measured on success, the error and what to do on failure. */
export function TestOutcome({ result, provider }: { result: TestSummary; provider: ProviderInfo }) {
  if (result.success) {
    const summary = successSummary(result);
    return (
      <p className="outcome outcome-ok">
        <span aria-hidden="true">✓ </span>
        <strong>Key works</strong>
        {summary && `: ${summary}.`}
      </p>
    );
  }
  const advice = adviceFor(result.error_code, provider);
  // The provider's own trouble (rate limit, outage, slowness) says nothing bad about the key.
  const degraded = result.error_code !== null && DEGRADED.has(result.error_code);
  return (
    <div className={`outcome ${degraded ? "outcome-warn" : "outcome-bad"}`}>
      <p>
        <span aria-hidden="true">{degraded ? "! " : "✗ "}</span>
        <strong>{result.error ?? "The test failed."}</strong>
        {result.latency_ms !== null && <span className="muted"> ({result.latency_ms} ms)</span>}
      </p>
      {advice && (
        <p className="advice">
          {advice}
          {result.error_code === "invalid_key" && provider.docsUrl && (
            <>
              {" "}
              <a href={provider.docsUrl} target="_blank" rel="noreferrer noopener">
                Go to the {provider.displayName} key page<span className="sr-only"> (opens in a new tab)</span>
              </a>
            </>
          )}
        </p>
      )}
    </div>
  );
}
