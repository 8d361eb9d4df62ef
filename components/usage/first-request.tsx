"use client";

import { useHydrated } from "@/components/client/use-hydrated";

/** The empty state: how a new admin sends the first request through the gateway. */
export function FirstRequest({ filtered }: { filtered: boolean }) {
  const hydrated = useHydrated();
  const base = `${hydrated ? window.location.origin : ""}/api/v1/llm/gateway/v1`;
  const curl = `curl ${base}/chat/completions \\
  -H "Authorization: Bearer <your hub key>" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "openai/gpt-4.1-mini", "messages": [{"role": "user", "content": "Hello"}]}'`;
  return (
    <section className="usage-empty" aria-labelledby="usage-empty-title">
      <h2 id="usage-empty-title">No requests in this range{filtered ? " through this provider key" : ""}</h2>
      <p>
        Usage appears here once apps send requests through the gateway. Point any OpenAI-compatible client at the base URL below with a hub key (issue one with{" "}
        <code>npm run hub-keys</code>), and name models as <code>&lt;provider&gt;/&lt;model&gt;</code>.
      </p>
      <p className="usage-empty-label">Base URL</p>
      <pre className="code-block">
        <code>{base}</code>
      </pre>
      <p className="usage-empty-label">Your first request</p>
      <pre className="code-block">
        <code>{curl}</code>
      </pre>
    </section>
  );
}
