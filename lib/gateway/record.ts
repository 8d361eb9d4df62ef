import "server-only";
import type { ProviderType } from "@/lib/providers/catalogue";
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
 * hub key (refusals included), after the answer is complete or cut. It must not throw or block.
 * The usage recorder (batched writes, budgets) is connected here.
 */
export function recordGatewayUsage(record: GatewayUsageRecord): void {
  void record;
}
