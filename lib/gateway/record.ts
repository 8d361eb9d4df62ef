import "server-only";
import type { ProviderType } from "@/lib/providers/catalogue";
import { recordUsage } from "@/lib/usage/recorder";
import type { GatewayOutcome } from "./proxy";

export type GatewayEndpoint = "chat" | "embeddings" | "models" | "native";

/**
 * One gateway request as the usage record (gateway.md section 4) needs it: what the engine
 * measured (GatewayOutcome) and who asked for what. No prompt, completion or key is in it. Cost is
 * the recorder's to work out (the provider's own figure in `providerCostUsd` wins, else the price
 * table, else `unpriced`).
 */
export interface GatewayUsageRecord extends GatewayOutcome {
  /** Ours, also sent back as `x-llmhub-request-id`. */
  requestId: string;
  hubKeyId: string;
  /** The provider row the request went to; null when it was refused before one was chosen. */
  providerKeyId: string | null;
  providerType: ProviderType | null;
  /** The route the client named (a provider type or a custom endpoint's route); null when none could be read. */
  route: string | null;
  endpoint: GatewayEndpoint;
  /** As the client named it (`openai/gpt-4o-mini`); for native calls the provider's own id, when the call names one. */
  modelRequested: string | null;
}

/**
 * The one place a gateway request's record goes, called once per request that presented a valid
 * hub key (refusals included), after the answer is complete or cut. It must not throw or block:
 * the usage recorder only queues the record, and writes it in a batch off the request's path.
 */
export function recordGatewayUsage(r: GatewayUsageRecord): void {
  recordUsage({
    requestId: r.requestId,
    startedAt: r.startedAt,
    hubKeyId: r.hubKeyId,
    providerKeyId: r.providerKeyId,
    // a request refused before its route was read (no model, an unknown route) has neither
    providerType: r.providerType ?? "",
    route: r.route ?? "",
    endpoint: r.endpoint,
    modelRequested: r.modelRequested,
    modelServed: r.modelServed,
    stream: r.stream,
    statusCode: r.statusCode,
    errorCode: r.errorCode,
    latencyMs: r.latencyMs,
    ttfbMs: r.ttfbMs,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    cachedTokens: r.cachedTokens,
    reasoningTokens: r.reasoningTokens,
    providerCostUsd: r.providerCostUsd,
    completed: r.completed,
  });
}
