import "server-only";
import type { ProviderType } from "@/lib/providers/catalogue";
import type { UsageInput } from "@/lib/usage/record";
import { recordUsage } from "@/lib/usage/recorder";
import type { GatewayOutcome } from "./proxy";

export type GatewayEndpoint = UsageInput["endpoint"];

/**
 * What a model listing is recorded under: it asks no one provider (the hub answers from every
 * route's cached list), so its provider is the gateway itself and its route `*`, every route (which
 * no provider or custom endpoint can be called). Without them the usage summary showed an unnamed group.
 */
export const MODEL_LISTING = { providerType: "gateway", route: "*" } as const;

/**
 * One gateway request as the usage record (gateway.md section 4) needs it: what the engine
 * measured (GatewayOutcome) and who asked for what. No prompt, completion or key is in it. Cost is
 * the recorder's to work out (the provider's own figure in `providerCostUsd` wins, else the price
 * table, else `unpriced`). Derived from UsageInput, so a field added to the usage record is a
 * field every gateway request must fill.
 */
export interface GatewayUsageRecord extends GatewayOutcome, Omit<UsageInput, keyof GatewayOutcome | "id" | "hubKeyId" | "providerType" | "route"> {
  /** Ours, also sent back as `x-llmhub-request-id`. */
  requestId: string;
  hubKeyId: string;
  /** The provider row the request went to; null when it was refused before one was chosen. */
  providerKeyId: string | null;
  providerType: ProviderType | typeof MODEL_LISTING.providerType | null;
  /** The route the client named (a provider type or a custom endpoint's route); null when none could be read. */
  route: string | null;
  /** As the client named it (`openai/gpt-4o-mini`); for native calls the provider's own id, when the call names one. */
  modelRequested: string | null;
}

/** The usage record of a gateway request: every field carried over, none named twice. */
export function usageInputOf(r: GatewayUsageRecord): UsageInput {
  // a request refused before its route was read (no model, an unknown route) has neither
  return { ...r, providerType: r.providerType ?? "", route: r.route ?? "", source: "gateway" };
}

/**
 * The one place a gateway request's record goes, called once per request that presented a valid
 * hub key (refusals included), after the answer is complete or cut. It must not throw or block:
 * the usage recorder only queues the record, and writes it in a batch off the request's path.
 */
export function recordGatewayUsage(r: GatewayUsageRecord): void {
  recordUsage(usageInputOf(r));
}
