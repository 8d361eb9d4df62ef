import { describe, expect, it } from "vitest";
import { addTotals, bucketsOf, foldSeries, identityOf, intervalOf, OTHER_ID } from "./dashboard-shape";
import type { GroupedTotals } from "./report-queries";

const d = (s: string) => new Date(s);

describe("the Usage tab's answer, shaped", () => {
  it("draws up to 8 days per hour and longer ranges per day", () => {
    expect(intervalOf(d("2026-11-30T10:00Z"), d("2026-12-01T10:00Z"))).toBe("hour");
    expect(intervalOf(d("2026-11-24T10:00Z"), d("2026-12-01T10:30Z"))).toBe("hour");
    expect(intervalOf(d("2026-11-01T10:00Z"), d("2026-12-01T10:00Z"))).toBe("day");
  });

  it("lists every bucket of the range, empty ones included, from the one holding `from`", () => {
    expect(bucketsOf(d("2026-12-01T10:00Z"), d("2026-12-01T13:05Z"), "hour")).toEqual(["2026-12-01T10:00:00.000Z", "2026-12-01T11:00:00.000Z", "2026-12-01T12:00:00.000Z", "2026-12-01T13:00:00.000Z"]);
    expect(bucketsOf(d("2026-11-29T10:00Z"), d("2026-12-01T09:00Z"), "day")).toEqual(["2026-11-29T00:00:00.000Z", "2026-11-30T00:00:00.000Z", "2026-12-01T00:00:00.000Z"]);
  });

  it("names groups for people and keeps ids stable", () => {
    expect(identityOf("model", { route: "openai", model: "openai/gpt-4.1-mini" })).toEqual({ id: "openai openai/gpt-4.1-mini", label: "openai/gpt-4.1-mini", provider_type: "openai" });
    expect(identityOf("hub_key", { hub_key_id: "0b7c5e2a-1111-2222-3333-444455556666", hub_key_name: null }).label).toBe("hub key 0b7c5e2a");
    expect(identityOf("hub_key", { hub_key_id: null }).label).toBe("no hub key");
    expect(identityOf("provider_key", { provider_key_id: null, provider_name: null, provider_type: "mistral" }).label).toBe("mistral (environment key)");
  });

  it("adds groups up: counts and histograms add, the max is the max", () => {
    const g = (requests: number, max: number, hist: number[]): GroupedTotals => ({ key: {}, requests, errors: 1, incomplete: 0, unpricedRequests: 1, inputTokens: 10, outputTokens: 5, cachedTokens: 0, reasoningTokens: 0, costUsd: 0.5, latencyMsSum: 100, latencyMsMax: max, hist });
    const hist = (i: number, n: number) => Array.from({ length: 28 }, (_, k) => (k === i ? n : 0));
    const t = addTotals([g(3, 40, hist(2, 3)), g(2, 90, hist(5, 2))]);
    expect(t).toMatchObject({ requests: 5, errors: 2, unpricedRequests: 2, inputTokens: 20, costUsd: 1, latencyMsMax: 90, latencyMsSum: 200 });
    expect(t.hist[2]).toBe(3);
    expect(t.hist[5]).toBe(2);
  });

  it("folds groups beyond the top into one Other series, one value per bucket", () => {
    const buckets = ["h0", "h1", "h2"];
    const ranked = ["a", "b", "c"].map((id) => ({ id, label: id, provider_type: null }));
    const cells = [
      { t: "h0", id: "a", requests: 5, tokens: 50, costUsd: 0.1 },
      { t: "h2", id: "b", requests: 2, tokens: 20, costUsd: 0 },
      { t: "h2", id: "c", requests: 1, tokens: 7, costUsd: 0.2 },
      { t: "h1", id: "zz", requests: 4, tokens: 1, costUsd: 0 },
    ];
    const s = foldSeries(buckets, ranked, cells, 2);
    expect(s.map((x) => x.id)).toEqual(["a", "b", OTHER_ID]);
    expect(s[0]!.requests).toEqual([5, 0, 0]);
    expect(s[1]!.tokens).toEqual([0, 0, 20]);
    expect(s[2]!.requests).toEqual([0, 4, 1]);
    expect(foldSeries(buckets, ranked, cells.slice(0, 3), 3).map((x) => x.id)).toEqual(["a", "b", "c"]);
  });
});
