// A gateway request's usage record carries every column of usage_records that the recorder does
// not work out itself (id, cost), so a column added to the table cannot be left out of the gateway's.
import { getTableColumns } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { usageRecords } from "@/lib/db/schema-usage";
import { type GatewayUsageRecord, usageInputOf } from "./record";

const record: GatewayUsageRecord = {
  requestId: "5f0c1a2b-0000-4000-8000-000000000001",
  startedAt: new Date("2026-11-30T10:00:00Z"),
  hubKeyId: "5f0c1a2b-0000-4000-8000-000000000002",
  providerKeyId: "5f0c1a2b-0000-4000-8000-000000000003",
  providerType: "openai",
  route: "openai",
  endpoint: "chat",
  modelRequested: "openai/gpt-4o-mini",
  modelServed: "gpt-4o-mini-2024-07-18",
  stream: true,
  statusCode: 200,
  errorCode: null,
  latencyMs: 120.5,
  ttfbMs: 40.2,
  inputTokens: 3,
  outputTokens: 5,
  cachedTokens: 0,
  reasoningTokens: 0,
  providerCostUsd: null,
  completed: true,
};

describe("usageInputOf", () => {
  it("carries every column the recorder does not fill in, with its value", () => {
    const input = usageInputOf(record);
    const columns = Object.keys(getTableColumns(usageRecords)).filter((c) => !["id", "costUsd", "costSource"].includes(c));
    expect(Object.keys(input).sort()).toEqual([...columns, "providerCostUsd"].sort());
    expect(input).toEqual({ ...record, source: "gateway" });
  });

  it("stores a request refused before its route was read with an empty route and provider type", () => {
    const input = usageInputOf({ ...record, providerKeyId: null, providerType: null, route: null, statusCode: 400, errorCode: "invalid_request" });
    expect(input).toMatchObject({ providerKeyId: null, providerType: "", route: "", statusCode: 400, errorCode: "invalid_request" });
  });
});
