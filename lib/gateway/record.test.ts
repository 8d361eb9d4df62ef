// A gateway request's usage record carries every column of usage_records that the recorder does
// not work out itself (id, cost), so a column added to the table cannot be left out of the gateway's.
import { getTableColumns } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { usageRecords } from "@/lib/db/schema-usage";
import type { GatewayOutcome } from "./proxy";
import { type GatewayFacts, usageInputOf } from "./record";

const facts: GatewayFacts = {
  requestId: "5f0c1a2b-0000-4000-8000-000000000001",
  hubKeyId: "5f0c1a2b-0000-4000-8000-000000000002",
  providerKeyId: "5f0c1a2b-0000-4000-8000-000000000003",
  providerType: "openai",
  route: "openai",
  endpoint: "chat",
  modelRequested: "openai/gpt-4o-mini",
};
const outcome: GatewayOutcome = {
  startedAt: new Date("2026-11-30T10:00:00Z"),
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
    const input = usageInputOf(outcome, facts);
    const columns = Object.keys(getTableColumns(usageRecords)).filter((c) => !["id", "costUsd", "costSource"].includes(c));
    expect(Object.keys(input).sort()).toEqual([...columns, "providerCostUsd"].sort());
    expect(input).toEqual({ ...outcome, ...facts, source: "gateway" });
  });

  it("stores a request refused before its route was read with an empty route and provider type", () => {
    const input = usageInputOf({ ...outcome, statusCode: 400, errorCode: "invalid_request" }, { ...facts, providerKeyId: null, providerType: null, route: null });
    expect(input).toMatchObject({ providerKeyId: null, providerType: "", route: "", statusCode: 400, errorCode: "invalid_request" });
  });
});
