import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lookupSeedPrice, parsePriceSeed, PRICE_SEED, PRICED_ROUTES, type SeedPrice, seedPriceKey } from "./price-seed";

// Read the file itself (not the bundled import) so the test sees exactly what the gateway will seed from.
const raw: unknown = JSON.parse(readFileSync(new URL("./prices.seed.json", import.meta.url), "utf8"));

const valid: SeedPrice = {
  route: "openai",
  model: "gpt-4o-mini",
  kind: "chat",
  input_per_mtok_usd: 0.15,
  output_per_mtok_usd: 0.6,
  cached_input_per_mtok_usd: 0.075,
  source: "https://example.com/pricing",
  source_date: "2026-07-18",
};
const seedOf = (...prices: unknown[]) => ({ generated_at: "2026-12-01", note: "USD per million tokens", prices });
const problems = (...prices: unknown[]): string => {
  try {
    parsePriceSeed(seedOf(...prices));
    return "";
  } catch (e) {
    return (e as Error).message;
  }
};

describe("prices.seed.json", () => {
  const seed = parsePriceSeed(raw);

  it("matches the schema, and the module exports the same rows", () => {
    expect(seed.prices.length).toBeGreaterThan(50);
    expect(PRICE_SEED).toEqual(seed);
    expect(seed.note).toMatch(/per 1,000,000 tokens/);
    expect(seed.note).toMatch(/unpriced/);
  });

  it("has no route/model twice", () => {
    const keys = seed.prices.map((p) => seedPriceKey(p.route, p.model));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("names a source and an ISO date for every price", () => {
    for (const p of seed.prices) {
      expect(p.source.length, p.model).toBeGreaterThan(10);
      expect(p.source_date, p.model).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.source_date <= seed.generated_at, p.model).toBe(true);
    }
  });

  it("has non-negative numeric prices, embeddings priced on input only", () => {
    for (const p of seed.prices) {
      for (const v of [p.input_per_mtok_usd, p.output_per_mtok_usd, p.cached_input_per_mtok_usd ?? 0]) {
        expect(typeof v).toBe("number");
        expect(v, p.model).toBeGreaterThanOrEqual(0);
      }
      if (p.kind === "embedding") expect(p.output_per_mtok_usd, p.model).toBe(0);
    }
  });

  it("keeps the route out of the model id", () => {
    for (const p of seed.prices) expect(p.model.startsWith(`${p.route}/`), `${p.route} ${p.model}`).toBe(false);
  });

  it("covers every provider route but openrouter (which reports its own cost) with at least 8 models", () => {
    for (const route of PRICED_ROUTES) {
      const n = seed.prices.filter((p) => p.route === route).length;
      if (route === "openrouter") expect(n).toBe(0);
      else expect(n, route).toBeGreaterThanOrEqual(8);
    }
  });

  // Each figure below was found in two independent records (see checked_against in the file).
  it.each([
    ["openai", "gpt-4o-mini", 0.15, 0.6, 0.075],
    ["openai", "gpt-4.1-nano", 0.1, 0.4, 0.025],
    ["openai", "text-embedding-3-small", 0.02, 0, undefined],
    ["anthropic", "claude-opus-4-5", 5, 25, 0.5],
    ["anthropic", "claude-sonnet-4-5", 3, 15, 0.3],
    ["google", "gemini-2.5-flash", 0.3, 2.5, 0.03],
    ["groq", "llama-3.1-8b-instant", 0.05, 0.08, undefined],
    ["together", "meta-llama/Llama-3.3-70B-Instruct-Turbo", 0.88, 0.88, undefined],
    ["mistral", "mistral-embed", 0.1, 0, undefined],
    ["cohere", "command-r", 0.15, 0.6, undefined],
  ] as const)("prices %s/%s as verified", (route, model, input, output, cached) => {
    const p = lookupSeedPrice(route, model);
    expect(p).toBeDefined();
    expect(p?.input_per_mtok_usd).toBe(input);
    expect(p?.output_per_mtok_usd).toBe(output);
    expect(p?.cached_input_per_mtok_usd).toBe(cached);
  });

  it("has no price for an unknown model or a custom endpoint, so it is recorded as unpriced rather than $0", () => {
    expect(lookupSeedPrice("openai", "gpt-does-not-exist")).toBeUndefined();
    expect(lookupSeedPrice("custom", "gpt-4o-mini")).toBeUndefined();
    expect(lookupSeedPrice("openrouter", "openai/gpt-4o-mini")).toBeUndefined();
  });
});

describe("parsePriceSeed", () => {
  it("accepts a well-formed row", () => {
    expect(problems(valid)).toBe("");
    expect(problems({ ...valid, source: "BerriAI/litellm model_prices.json @ 00035b69f416be24e2e323c13198d9b7d2d1bdf9" })).toBe("");
  });

  it.each<[string, unknown, RegExp]>([
    ["a negative price", { ...valid, output_per_mtok_usd: -1 }, /output_per_mtok_usd: must not be negative/],
    ["a price given per token", { ...valid, input_per_mtok_usd: 1.5e-7 }, /input_per_mtok_usd: must be 0 or between/],
    ["a price as a string", { ...valid, input_per_mtok_usd: "0.15" }, /input_per_mtok_usd: must be a number/],
    ["a free chat model", { ...valid, input_per_mtok_usd: 0 }, /input_per_mtok_usd: must be above 0/],
    ["an embedding with an output price", { ...valid, kind: "embedding", cached_input_per_mtok_usd: undefined }, /priced on input only/],
    ["a cached price above input", { ...valid, cached_input_per_mtok_usd: 1 }, /must not exceed the input price/],
    ["the route inside the model", { ...valid, model: "openai/gpt-4o-mini" }, /model: must not repeat the route/],
    ["a custom endpoint", { ...valid, route: "custom" }, /route: must be one of/],
    ["no source", { ...valid, source: undefined }, /source: must be a string/],
    ["an unpinned repository source", { ...valid, source: "BerriAI/litellm model_prices.json @ main" }, /source: must be an https URL/],
    ["an impossible date", { ...valid, source_date: "2026-02-30" }, /source_date: must be an ISO date/],
    ["a date after generated_at", { ...valid, source_date: "2027-01-01" }, /source_date: must not be after generated_at/],
    ["an unknown field", { ...valid, price: 1 }, /Unrecognized key/],
  ])("rejects %s", (_what, row, message) => {
    expect(problems(row)).toMatch(message);
  });

  it("rejects the same route/model twice", () => {
    expect(problems(valid, { ...valid, input_per_mtok_usd: 0.2 })).toMatch(/prices\.1\.model: duplicate price for openai\/gpt-4o-mini/);
  });

  it("lets the same model id appear under two routes", () => {
    expect(problems({ ...valid, route: "groq", model: "openai/gpt-oss-20b" }, { ...valid, route: "together", model: "openai/gpt-oss-20b" })).toBe("");
  });
});
