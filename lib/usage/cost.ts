/**
 * What a request cost (gateway.md §4): the provider's own figure first (OpenRouter's `usage.cost`),
 * then the price table, else `unpriced` with no cost — never $0 for a model nobody priced. Counts
 * follow lib/gateway/usage.ts: input includes cached tokens, output includes reasoning tokens.
 */
import type { CostSource } from "@/lib/db/schema-usage";

export type { CostSource };

/** USD per million tokens. A missing cached price means cached tokens cost the input rate. */
export interface Price {
  inputPerMtokUsd: number;
  outputPerMtokUsd: number;
  cachedInputPerMtokUsd: number | null;
}

export interface CostInput {
  providerCostUsd: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedTokens: number | null;
}

export interface Cost {
  costUsd: number | null;
  costSource: CostSource;
}

const UNPRICED: Cost = { costUsd: null, costSource: "unpriced" };

/**
 * The cost of one request. A price without token counts (the provider said nothing about usage,
 * e.g. a failed or cut request) is unpriced too: the hub does not know what was billed.
 */
export function costOf(u: CostInput, price: Price | undefined): Cost {
  if (u.providerCostUsd !== null && Number.isFinite(u.providerCostUsd) && u.providerCostUsd >= 0) return { costUsd: u.providerCostUsd, costSource: "provider" };
  if (!price || u.inputTokens === null) return UNPRICED;
  const input = Math.max(0, u.inputTokens);
  const cached = Math.min(input, Math.max(0, u.cachedTokens ?? 0));
  const output = Math.max(0, u.outputTokens ?? 0);
  const cachedRate = price.cachedInputPerMtokUsd ?? price.inputPerMtokUsd;
  const micro = (input - cached) * price.inputPerMtokUsd + cached * cachedRate + output * price.outputPerMtokUsd;
  // 10 decimal places: a single token of the cheapest model stays visible, float noise does not
  return { costUsd: Math.round((micro / 1e6) * 1e10) / 1e10, costSource: "price_table" };
}

/**
 * The keys a record's price may be stored under, best first: the model the client asked for (with
 * the route stripped when the client wrote `route/model`), then the one the provider says answered.
 */
export function priceKeysOf(route: string, modelRequested: string | null, modelServed: string | null): string[] {
  const keys: string[] = [];
  const add = (m: string | null) => {
    if (!m) return;
    const own = m.startsWith(`${route}/`) ? m.slice(route.length + 1) : m;
    const k = `${route}/${own}`;
    if (!keys.includes(k)) keys.push(k);
  };
  add(modelRequested);
  add(modelServed);
  return keys;
}
