import "server-only";
import { auditEventOf } from "@/lib/audit/record";
import type { RequestContext } from "@/lib/call-context";
import { insertAuditEvent } from "@/lib/db/queries/audit";
import { getExistingHubKeyIds } from "@/lib/db/queries/hub-keys";
import type { HubKey } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { insertUsageBatch } from "./batch-queries";
import { costed } from "./batcher";
import { noteKeyMonthTotals } from "./budget";
import { type IngestRecord, parseIngestBatch } from "./ingest-schema";
import { currentPrices } from "./price-cache";
import { normalizeInput, type UsageRecord } from "./record";

/** What an ingest batch did: how many records came, how many were new, how many were already stored. */
export interface IngestResult {
  success: true;
  received: number;
  inserted: number;
  duplicates: number;
}

/**
 * Stores usage that did not pass through the hub (POST /api/v1/llm/usage/events), sent with a hub
 * key that has the `ingest` scope. All or nothing: every record is checked first (a 400 lists each
 * problem), then the batch is one statement with its rollups, exactly like the gateway's own
 * batches, so the reports count ingested records the same way; they are marked `source: ingest`.
 * Idempotent: a record whose `request_id` and `started_at` are stored already is counted as a
 * duplicate and changes nothing. A record's hub key is the ingesting key unless it names another
 * (which must exist) or sends `hub_key_id: null`.
 */
export async function ingestUsage(key: HubKey, data: unknown[], request: RequestContext, now = new Date()): Promise<IngestResult> {
  const env = getEnv();
  const parsed = parseIngestBatch(data, { now, retentionDays: env.USAGE_RETENTION_DAYS });
  await checkNamedHubKeys(parsed);
  const prices = await currentPrices();
  const records = parsed.map((r) => toUsageRecord(r, key.id, prices));
  const out = await insertUsageBatch(records);
  noteKeyMonthTotals(out.months);
  const result: IngestResult = { success: true, received: records.length, inserted: out.inserted, duplicates: records.length - out.inserted };
  await insertAuditEvent(
    auditEventOf(
      {
        action: "usage.ingest",
        outcome: "success",
        actorEmail: `hub_key:${key.name}`,
        target: key.id,
        statusCode: 200,
        detail: { key_preview: key.keyPreview, received: result.received, inserted: result.inserted, duplicates: result.duplicates },
      },
      request,
    ),
  );
  log.info(`Hub key ${key.name} (${key.keyPreview}) ingested ${result.inserted} usage record(s), ${result.duplicates} already stored`);
  return result;
}

/** A record may name another hub key as its own only if that key exists. */
async function checkNamedHubKeys(records: IngestRecord[]): Promise<void> {
  const named = [...new Set(records.flatMap((r) => (r.hub_key_id ? [r.hub_key_id.toLowerCase()] : [])))];
  if (named.length === 0) return;
  const known = await getExistingHubKeyIds(named);
  const errors = records.flatMap((r, index) => (r.hub_key_id && !known.has(r.hub_key_id.toLowerCase()) ? [{ index, field: "hub_key_id", message: "is not a hub key of this hub" }] : []));
  if (errors.length) throw new AppError("invalid_records", `${errors.length} of ${records.length} records name an unknown hub key; nothing was stored`, { errors: errors.slice(0, 100) });
}

function toUsageRecord(r: IngestRecord, ingestingKeyId: string, prices: Awaited<ReturnType<typeof currentPrices>>): UsageRecord {
  const base = normalizeInput({
    id: r.id,
    requestId: r.request_id,
    startedAt: new Date(r.started_at),
    hubKeyId: r.hub_key_id === undefined ? ingestingKeyId : (r.hub_key_id?.toLowerCase() ?? null),
    providerKeyId: r.provider_key_id ?? null,
    providerType: r.provider_type,
    route: r.route ?? r.provider_type,
    endpoint: r.endpoint,
    modelRequested: r.model_requested ?? null,
    modelServed: r.model_served ?? null,
    stream: r.stream,
    statusCode: r.status_code,
    errorCode: r.error_code ?? null,
    latencyMs: r.latency_ms,
    ttfbMs: r.ttfb_ms ?? null,
    inputTokens: r.input_tokens ?? null,
    outputTokens: r.output_tokens ?? null,
    cachedTokens: r.cached_tokens ?? null,
    reasoningTokens: r.reasoning_tokens ?? null,
    providerCostUsd: r.cost_usd ?? null,
    completed: r.completed,
  });
  // the sender's own cost wins (as a provider's does); "unpriced" is taken at its word, not priced from our table
  const record = costed(base, prices);
  if (r.cost_source === "unpriced") return { ...record, costUsd: null, costSource: "unpriced", source: "ingest" };
  return { ...record, ...(r.cost_usd != null && r.cost_source ? { costSource: r.cost_source } : {}), source: "ingest" };
}
