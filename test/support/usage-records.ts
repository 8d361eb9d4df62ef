/** Usage record inputs for tests and the bench: varied, deterministic from a seed, no text content. */
import { randomUUID } from "node:crypto";
import type { UsageInput } from "@/lib/usage/record";

const ROUTES = [
  { route: "openai", model: "openai/gpt-4.1-mini" },
  { route: "anthropic", model: "anthropic/claude-haiku-4-5" },
  { route: "groq", model: "groq/llama-3.1-8b-instant" },
  { route: "openrouter", model: "openrouter/meta-llama/llama-3.1-8b-instruct" },
  { route: "openai", model: "openai/no-such-priced-model" },
] as const;

/** A small PRNG, so a failing run can be replayed. */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export function makeUsageInputs(n: number, opts: { seed?: number; at?: () => Date; hubKeyIds?: string[]; providerKeyIds?: string[] } = {}): UsageInput[] {
  const rnd = prng(opts.seed ?? 1);
  const hubKeys = opts.hubKeyIds ?? [randomUUID(), randomUUID()];
  const providerKeys = opts.providerKeyIds ?? [randomUUID()];
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const r = pick(ROUTES);
    const failed = rnd() < 0.1;
    const cut = !failed && rnd() < 0.05;
    const input = failed ? null : 10 + Math.floor(rnd() * 5000);
    return {
      // unique like the gateway's (a UUID each): records are one per (started_at, request_id)
      requestId: `req-${i}-${randomUUID()}`,
      startedAt: opts.at ? opts.at() : new Date(),
      hubKeyId: pick(hubKeys),
      providerKeyId: pick(providerKeys),
      providerType: r.route,
      route: r.route,
      endpoint: rnd() < 0.2 ? "embeddings" : "chat",
      modelRequested: r.model,
      modelServed: r.model.slice(r.route.length + 1),
      stream: rnd() < 0.5,
      statusCode: failed ? 500 : 200,
      errorCode: failed ? "upstream_error" : cut ? "client_closed" : null,
      latencyMs: Math.round(rnd() * rnd() * 20_000 * 10) / 10,
      ttfbMs: failed ? null : Math.round(rnd() * 500),
      inputTokens: input,
      outputTokens: failed ? null : Math.floor(rnd() * 2000),
      cachedTokens: failed || input === null ? null : Math.floor(rnd() * input * 0.3),
      reasoningTokens: failed ? null : 0,
      providerCostUsd: r.route === "openrouter" && !failed ? Math.round(rnd() * 1e6) / 1e9 : null,
      completed: !failed && !cut,
    } satisfies UsageInput;
  });
}
