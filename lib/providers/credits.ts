/**
 * The credit figures of OpenRouter's `GET /api/v1/key` answer (providers.md §3.1), read defensively:
 * a figure that is not a finite number is unknown (null), and `limit_reset` is kept only when it is
 * a short word, so nothing the provider sends can grow a stored row or reach a message unchecked.
 */
import type { ProviderType } from "./catalogue";
import { getObject, isObject, type Json } from "./response-body";
import type { ProviderCredits } from "./types";

const usd = (v: Json | undefined): number | null => (typeof v === "number" && Number.isFinite(v) ? Math.round(v * 1e6) / 1e6 : null);
const RESET = /^[a-z_]{1,20}$/;

/** The key's credit, for an OpenRouter 2xx answer that carries `data`; null for anything else. */
export function creditsOf(type: ProviderType, status: number, body: Json | undefined): ProviderCredits | null {
  if (type !== "openrouter" || status < 200 || status >= 300) return null;
  const data = getObject(body, "data");
  if (!isObject(data) || !("limit" in data || "limit_remaining" in data || "usage" in data)) return null;
  const reset = data.limit_reset;
  return {
    usage: usd(data.usage),
    limit: usd(data.limit),
    limit_remaining: usd(data.limit_remaining),
    limit_reset: typeof reset === "string" && RESET.test(reset) ? reset : null,
  };
}

/**
 * Whether a key's credit is low: a capped key with less than `thresholdUsd` left. Null when the
 * check says nothing about credit (another provider, a failed check), so the state stays as it was.
 */
export function creditLevelOf(credits: ProviderCredits | null | undefined, thresholdUsd: number): "low" | "ok" | null {
  if (!credits) return null;
  if (credits.limit === null || credits.limit_remaining === null) return "ok";
  return credits.limit_remaining < thresholdUsd ? "low" : "ok";
}

const dollars = (n: number) => `$${n.toFixed(2)}`;

/**
 * "$3.20 credit left of $10.00 (monthly limit)", or "no limit" for an uncapped key: the one wording
 * of a key's credit, for the Provider Keys card and the alert sentences alike (numbers only).
 */
export function creditFigures(c: ProviderCredits): string {
  if (c.limit === null || c.limit_remaining === null) return "no limit";
  return `${dollars(c.limit_remaining)} credit left of ${dollars(c.limit)}${c.limit_reset ? ` (${c.limit_reset} limit)` : ""}`;
}
