import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { MAX_INGEST_RECORDS, parseIngestBatch } from "./ingest-schema";

const now = new Date("2026-12-01T12:00:00Z");
const opts = { now, retentionDays: 90 };
const rec = (over: Record<string, unknown> = {}) => ({ request_id: "r-1", started_at: "2026-12-01T11:00:00Z", provider_type: "openai", latency_ms: 120, ...over });

function problems(data: unknown[]) {
  try {
    parseIngestBatch(data, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return { code: (err as AppError).code, detail: (err as AppError).detail, errors: (err as AppError).errors };
  }
  throw new Error("expected the batch to be refused");
}

describe("parseIngestBatch", () => {
  it("fills the gateway's defaults into a minimal record", () => {
    expect(parseIngestBatch([rec()], opts)).toEqual([{ ...rec(), endpoint: "chat", stream: false, status_code: 200, completed: true }]);
  });

  it("lists every problem of every record, by index and field, and refuses the whole batch", () => {
    const out = problems([rec(), rec({ request_id: "r-2", latency_ms: -1, input_tokens: 1.5 }), rec({ request_id: "", provider_type: "Open AI", colour: "red" }), "nope"]);
    expect(out.code).toBe("invalid_records");
    expect(out.detail).toBe("3 of 4 records are invalid; nothing was stored");
    expect(out.errors).toEqual([
      { index: 1, field: "latency_ms", message: "must not be negative" },
      { index: 1, field: "input_tokens", message: "must be a whole number" },
      { index: 2, field: "request_id", message: "must not be empty" },
      { index: 2, field: "provider_type", message: "must be a provider type such as openai (lower-case letters, digits, - _ . :)" },
      { index: 2, field: null, message: "unknown field 'colour'" },
      { index: 3, field: null, message: "must be an object" },
    ]);
  });

  it("names missing fields, a start outside the retention period or in the future, and a request id sent twice", () => {
    const out = problems([
      { provider_type: "openai" },
      rec({ request_id: "old", started_at: "2026-08-01T00:00:00Z" }),
      rec({ request_id: "future", started_at: "2026-12-01T13:00:00+00:00" }),
      rec({ request_id: "twice" }),
      rec({ request_id: "twice" }),
    ]);
    expect(out.errors).toEqual([
      { index: 0, field: "request_id", message: "field required" },
      { index: 0, field: "started_at", message: "field required" },
      { index: 0, field: "latency_ms", message: "must be a number of milliseconds" },
      { index: 1, field: "started_at", message: "is older than the 90-day retention period (USAGE_RETENTION_DAYS)" },
      { index: 2, field: "started_at", message: "is in the future" },
      { index: 4, field: "request_id", message: "appears more than once in this batch (first at index 3)" },
    ]);
  });

  it("holds cost_source and cost_usd together", () => {
    expect(problems([rec({ cost_usd: 0.1, cost_source: "unpriced" })]).errors).toEqual([{ index: 0, field: "cost_source", message: "is unpriced, but cost_usd is given" }]);
    expect(problems([rec({ cost_source: "provider" })]).errors).toEqual([{ index: 0, field: "cost_usd", message: "is required when cost_source is provider" }]);
  });

  it("takes 1 to 1,000 records", () => {
    expect(problems([])).toMatchObject({ code: "invalid_request", detail: "Request body is an empty array; send 1 to 1000 records" });
    const many = Array.from({ length: MAX_INGEST_RECORDS + 1 }, (_, i) => rec({ request_id: `r-${i}` }));
    expect(problems(many)).toMatchObject({ code: "invalid_request", detail: "Request body holds 1001 records; send at most 1000 per request" });
    expect(parseIngestBatch(many.slice(1), opts)).toHaveLength(MAX_INGEST_RECORDS);
  });
});
