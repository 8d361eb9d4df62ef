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
 * What the route learnt of a gateway request, beside what the engine measured (GatewayOutcome):
 * who asked for what. No prompt, completion or key is in either.
 */
export interface GatewayFacts {
  /** Ours, also sent back as `x-llmhub-request-id`. */
  requestId: string;
  hubKeyId: string;
  endpoint: GatewayEndpoint;
  /** The provider row the request went to; null when it was refused before one was chosen. */
  providerKeyId: string | null;
  providerType: ProviderType | typeof MODEL_LISTING.providerType | null;
  /** The route the client named (a provider type or a custom endpoint's route); null when none could be read. */
  route: string | null;
  /** As the client named it (`openai/gpt-4o-mini`); for native calls the provider's own id, when the call names one. */
  modelRequested: string | null;
}

/**
 * The usage record of a gateway request (gateway.md section 4). Cost is the recorder's to work out
 * (the provider's own figure in `providerCostUsd` wins, else the price table, else `unpriced`).
 * Every field is named in one object literal typed as UsageInput, so a field added to the usage
 * record is a field every gateway request must fill. Not built with spreads: on Node 20 an object
 * spread of this size followed by more properties took 2-15 µs; the four such copies a call's
 * outcome and record went through were ~25 µs of a ~450 µs call (bench/NOTES.md).
 */
export function usageInputOf(o: GatewayOutcome, f: GatewayFacts): UsageInput {
  return {
    requestId: f.requestId,
    hubKeyId: f.hubKeyId,
    endpoint: f.endpoint,
    // a request refused before its route was read (no model, an unknown route) has neither
    providerKeyId: f.providerKeyId,
    providerType: f.providerType ?? "",
    route: f.route ?? "",
    modelRequested: f.modelRequested,
    startedAt: o.startedAt,
    stream: o.stream,
    statusCode: o.statusCode,
    errorCode: o.errorCode,
    modelServed: o.modelServed,
    latencyMs: o.latencyMs,
    ttfbMs: o.ttfbMs,
    inputTokens: o.inputTokens,
    outputTokens: o.outputTokens,
    cachedTokens: o.cachedTokens,
    reasoningTokens: o.reasoningTokens,
    providerCostUsd: o.providerCostUsd,
    completed: o.completed,
    source: "gateway",
  };
}

/**
 * The one place a gateway request's record goes, called once per request that presented a valid
 * hub key (refusals included), after the answer is complete or cut. It must not throw or block:
 * the usage recorder only queues the record, and writes it in a batch off the request's path.
 */
export function recordGatewayUsage(o: GatewayOutcome, f: GatewayFacts): void {
  recordUsage(usageInputOf(o, f));
}
