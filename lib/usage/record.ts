import { randomUUID } from "node:crypto";
import type { UsageRecord } from "@/lib/db/schema-usage";

export type { UsageRecord };

/**
 * What `recordUsage` takes: the record without what the recorder fills in. `id` is optional (a
 * fresh UUID otherwise); cost and its source are worked out when the batch is written, from
 * `providerCostUsd` (the provider's own figure) or the price table.
 */
export type UsageInput = Omit<UsageRecord, "id" | "costUsd" | "costSource"> & { id?: string; providerCostUsd: number | null };

const MAX_TEXT = 256;
// PostgreSQL text cannot hold NUL, and JSON cannot carry a lone surrogate: one such character from a
// client's model name would fail every retry of the batch it is in
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Any NUL or surrogate at all: a quick look first (model names are ASCII), the exact replace only then. */
const MAYBE_UNSTORABLE = /[\u0000\ud800-\udfff]/;
const clip = (s: string | null): string | null => {
  if (s === null || s === undefined) return null;
  let t = String(s);
  if (MAYBE_UNSTORABLE.test(t)) t = t.replace(UNSTORABLE, "\ufffd");
  return t.length > MAX_TEXT ? t.slice(0, MAX_TEXT).replace(/[\ud800-\udbff]$/, "") : t;
};
const count = (n: number | null): number | null => (n === null || !Number.isFinite(n) || n < 0 ? null : Math.min(Math.round(n), 2_147_483_647));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The input made safe to store: a UUID id, text cut to a bounded length, counts that fit an
 * integer column, and ids that are UUIDs (anything else becomes null rather than failing the
 * whole batch it would be written with).
 */
export function normalizeInput(u: UsageInput): Omit<UsageRecord, "costUsd" | "costSource"> & { providerCostUsd: number | null } {
  const startedAt = u.startedAt instanceof Date && !Number.isNaN(u.startedAt.getTime()) ? u.startedAt : new Date();
  return {
    id: u.id && UUID.test(u.id) ? u.id : randomUUID(),
    requestId: clip(String(u.requestId)) ?? "",
    startedAt,
    hubKeyId: u.hubKeyId && UUID.test(u.hubKeyId) ? u.hubKeyId : null,
    providerKeyId: u.providerKeyId && UUID.test(u.providerKeyId) ? u.providerKeyId : null,
    providerType: clip(u.providerType) ?? "",
    route: clip(u.route) ?? "",
    endpoint: u.endpoint,
    modelRequested: clip(u.modelRequested),
    modelServed: clip(u.modelServed),
    stream: Boolean(u.stream),
    statusCode: Number.isInteger(u.statusCode) ? u.statusCode : 0,
    errorCode: clip(u.errorCode),
    latencyMs: Number.isFinite(u.latencyMs) && u.latencyMs >= 0 ? u.latencyMs : 0,
    ttfbMs: u.ttfbMs !== null && Number.isFinite(u.ttfbMs) && u.ttfbMs >= 0 ? u.ttfbMs : null,
    inputTokens: count(u.inputTokens),
    outputTokens: count(u.outputTokens),
    cachedTokens: count(u.cachedTokens),
    reasoningTokens: count(u.reasoningTokens),
    providerCostUsd: u.providerCostUsd !== null && Number.isFinite(u.providerCostUsd) && u.providerCostUsd >= 0 ? u.providerCostUsd : null,
    completed: Boolean(u.completed),
    source: u.source === "ingest" ? "ingest" : "gateway",
  };
}
