import { describe, expect, it } from "vitest";
import { costOf, priceKeysOf } from "./cost";

const price = { inputPerMtokUsd: 2, outputPerMtokUsd: 10, cachedInputPerMtokUsd: 0.5 };
const usage = (u: Partial<Parameters<typeof costOf>[0]>) => ({ providerCostUsd: null, inputTokens: null, outputTokens: null, cachedTokens: null, ...u });

describe("costOf", () => {
  it("takes the provider's own figure first, even when a price exists", () => {
    expect(costOf(usage({ providerCostUsd: 0.0123, inputTokens: 1000, outputTokens: 10 }), price)).toEqual({ costUsd: 0.0123, costSource: "provider" });
    expect(costOf(usage({ providerCostUsd: 0 }), undefined)).toEqual({ costUsd: 0, costSource: "provider" });
  });

  it("prices input, cached input and output per million tokens", () => {
    // 1,000,000 input of which 200,000 cached, 100,000 output: 0.8*2 + 0.2*0.5 + 0.1*10 = 2.7
    expect(costOf(usage({ inputTokens: 1_000_000, cachedTokens: 200_000, outputTokens: 100_000 }), price)).toEqual({ costUsd: 2.7, costSource: "price_table" });
    // small counts keep their precision: 12 in + 7 out = 24e-6 + 70e-6
    expect(costOf(usage({ inputTokens: 12, outputTokens: 7 }), price).costUsd).toBeCloseTo(0.000094, 12);
  });

  it("charges cached tokens the input rate when the model has no cached price", () => {
    const noCache = { ...price, cachedInputPerMtokUsd: null };
    expect(costOf(usage({ inputTokens: 1_000_000, cachedTokens: 500_000, outputTokens: 0 }), noCache).costUsd).toBe(2);
  });

  it("never counts more cached tokens than input tokens", () => {
    expect(costOf(usage({ inputTokens: 100, cachedTokens: 1000, outputTokens: 0 }), price).costUsd).toBeCloseTo(0.00005, 12);
  });

  it("is unpriced, never $0, without a price or without token counts", () => {
    expect(costOf(usage({ inputTokens: 10, outputTokens: 10 }), undefined)).toEqual({ costUsd: null, costSource: "unpriced" });
    expect(costOf(usage({}), price)).toEqual({ costUsd: null, costSource: "unpriced" });
  });

  it("prices embeddings on input alone", () => {
    expect(costOf(usage({ inputTokens: 500_000, outputTokens: 0 }), { inputPerMtokUsd: 0.02, outputPerMtokUsd: 0, cachedInputPerMtokUsd: null }).costUsd).toBe(0.01);
  });
});

describe("priceKeysOf", () => {
  it("strips the route the client wrote and falls back to the served model", () => {
    expect(priceKeysOf("openai", "openai/gpt-4o-mini", "gpt-4o-mini-2024-07-18")).toEqual(["openai/gpt-4o-mini", "openai/gpt-4o-mini-2024-07-18"]);
    expect(priceKeysOf("groq", "groq/openai/gpt-oss-20b", null)).toEqual(["groq/openai/gpt-oss-20b"]);
    expect(priceKeysOf("anthropic", "claude-x", "claude-x")).toEqual(["anthropic/claude-x"]);
    expect(priceKeysOf("google", null, null)).toEqual([]);
  });
});

describe("costed", () => {
  it("gives a normalised record every column of usage_records, with its value and its cost", async () => {
    const { getTableColumns } = await import("drizzle-orm");
    const { usageRecords } = await import("@/lib/db/schema-usage");
    const { costed } = await import("./batcher");
    const { normalizeInput } = await import("./record");
    const pending = normalizeInput({
      requestId: "r-1",
      startedAt: new Date("2026-11-30T10:00:00Z"),
      hubKeyId: null,
      providerKeyId: null,
      providerType: "openai",
      route: "openai",
      endpoint: "chat",
      modelRequested: "openai/gpt-4o-mini",
      modelServed: null,
      stream: false,
      statusCode: 200,
      errorCode: null,
      latencyMs: 12,
      ttfbMs: 10,
      inputTokens: 1_000_000,
      outputTokens: 0,
      cachedTokens: 0,
      reasoningTokens: 0,
      providerCostUsd: null,
      completed: true,
      source: "gateway",
    });
    const record = costed(pending, new Map([["openai/gpt-4o-mini", price]]));
    expect(Object.keys(record).sort()).toEqual(Object.keys(getTableColumns(usageRecords)).sort());
    const { providerCostUsd: _, ...rest } = pending;
    expect(record).toEqual({ ...rest, costUsd: 2, costSource: "price_table" });
  });
});
