import { z } from "zod";
import { AppError, type RecordIssue } from "@/lib/errors";

/**
 * One usage record as POST /api/v1/llm/usage/events takes it: the gateway's record (gateway.md §4)
 * in its snake_case wire form, for requests that did not pass through the hub (an existing LiteLLM,
 * a batch job). Strict: a misspelt field is an error, not silently lost. Messages are written to be
 * read after "<field>: ".
 */
export const MAX_INGEST_RECORDS = 1000;
/** The body limit of an ingest request: 1,000 records of up to about 4 KiB each (most are a few hundred bytes). */
export const INGEST_BODY_LIMIT = 4 * 1024 * 1024;
/** A future start this far ahead is a clock problem on the sender's side, not a record. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
const text = (max: number) =>
  z
    .string({ error: (i) => (i.input === undefined ? "field required" : "must be a string") })
    .min(1, { error: "must not be empty" })
    .max(max, { error: `must be at most ${max} characters` })
    .regex(NO_CONTROL, { error: "must not contain control characters" });
const count = z
  .number({ error: "must be a whole number of tokens" })
  .int({ error: "must be a whole number" })
  .min(0, { error: "must not be negative" })
  .max(2_147_483_647, { error: "is too large" })
  .nullish();
const ms = (max: number) => z.number({ error: "must be a number of milliseconds" }).min(0, { error: "must not be negative" }).max(max, { error: `must be at most ${max}` });
const uuid = (what: string) => z.uuid({ error: `must be a ${what} id (a UUID)` });
const ROUTE = /^[a-z0-9][a-z0-9_.:-]{0,63}$/;

export const ingestRecordSchema = z
  .strictObject(
    {
      request_id: text(256),
      id: uuid("record").optional(),
      started_at: z.iso.datetime({ offset: true, error: (i) => (i.input === undefined ? "field required" : "must be an ISO 8601 date and time with a zone, e.g. 2026-12-01T12:00:00Z") }),
      hub_key_id: uuid("hub key").nullish(),
      provider_key_id: uuid("provider key").nullish(),
      provider_type: text(64).regex(ROUTE, { error: "must be a provider type such as openai (lower-case letters, digits, - _ . :)" }),
      route: text(64).regex(ROUTE, { error: "must be a route such as openai or a custom endpoint's slug" }).optional(),
      endpoint: z.enum(["chat", "embeddings", "models", "native"], { error: "must be one of chat, embeddings, models, native" }).default("chat"),
      model_requested: text(256).nullish(),
      model_served: text(256).nullish(),
      stream: z.boolean({ error: "must be true or false" }).default(false),
      status_code: z.number({ error: "must be an HTTP status code" }).int({ error: "must be an HTTP status code" }).min(100, { error: "must be an HTTP status code (100-599)" }).max(599, { error: "must be an HTTP status code (100-599)" }).default(200),
      error_code: text(64).nullish(),
      latency_ms: ms(86_400_000),
      ttfb_ms: ms(86_400_000).nullish(),
      input_tokens: count,
      output_tokens: count,
      cached_tokens: count,
      reasoning_tokens: count,
      cost_usd: z.number({ error: "must be a number of US dollars" }).min(0, { error: "must not be negative" }).max(1_000_000, { error: "must be at most 1000000" }).nullish(),
      cost_source: z.enum(["provider", "price_table", "unpriced"], { error: "must be one of provider, price_table, unpriced" }).optional(),
      completed: z.boolean({ error: "must be true or false" }).default(true),
    },
    { error: (i) => (i.code === "invalid_type" ? "must be an object" : undefined) },
  )
  .superRefine((r, ctx) => {
    if (r.cost_source === "unpriced" && r.cost_usd != null) ctx.addIssue({ code: "custom", path: ["cost_source"], message: "is unpriced, but cost_usd is given" });
    if (r.cost_source && r.cost_source !== "unpriced" && r.cost_usd == null) ctx.addIssue({ code: "custom", path: ["cost_usd"], message: `is required when cost_source is ${r.cost_source}` });
  });

export type IngestRecord = z.infer<typeof ingestRecordSchema>;

const MAX_LISTED = 100;

/**
 * Checks a whole batch: 1 to 1,000 records, each valid, `started_at` within the retention period
 * and not in the future, each `request_id` once. All or nothing: any problem is one 400
 * (`invalid_records`) listing every record's problems (up to 100 of them).
 */
export function parseIngestBatch(data: unknown[], opts: { now: Date; retentionDays: number }): IngestRecord[] {
  if (data.length === 0) throw new AppError("invalid_request", "Request body is an empty array; send 1 to 1000 records");
  if (data.length > MAX_INGEST_RECORDS) throw new AppError("invalid_request", `Request body holds ${data.length} records; send at most ${MAX_INGEST_RECORDS} per request`);
  const oldest = opts.now.getTime() - opts.retentionDays * 86_400_000;
  const latest = opts.now.getTime() + MAX_CLOCK_SKEW_MS;
  const issues: RecordIssue[] = [];
  const records: IngestRecord[] = [];
  const seen = new Map<string, number>();
  data.forEach((raw, index) => {
    const parsed = ingestRecordSchema.safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const field = i.path.map(String).join(".") || null;
        const message = i.code === "unrecognized_keys" ? `unknown field${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => `'${k.slice(0, 40)}'`).join(", ")}` : i.message;
        issues.push({ index, field, message });
      }
      return;
    }
    const r = parsed.data;
    const t = new Date(r.started_at).getTime();
    if (t < oldest) issues.push({ index, field: "started_at", message: `is older than the ${opts.retentionDays}-day retention period (USAGE_RETENTION_DAYS)` });
    if (t > latest) issues.push({ index, field: "started_at", message: "is in the future" });
    const first = seen.get(r.request_id);
    if (first !== undefined) issues.push({ index, field: "request_id", message: `appears more than once in this batch (first at index ${first})` });
    else seen.set(r.request_id, index);
    records.push(r);
  });
  if (issues.length) {
    const bad = new Set(issues.map((i) => i.index)).size;
    throw new AppError("invalid_records", `${bad} of ${data.length} record${data.length > 1 ? "s are" : " is"} invalid; nothing was stored`, { errors: issues.slice(0, MAX_LISTED) });
  }
  return records;
}
