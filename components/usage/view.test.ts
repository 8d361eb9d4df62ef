import { describe, expect, it } from "vitest";
import { apiRange, apiSearch, previousLabel, readView, viewSearch } from "./view";

const p = (s: string) => new URLSearchParams(s);

describe("the Usage tab's view in the URL", () => {
  it("reads a shared view back the way it was written", () => {
    const v = readView(p("range=custom&from=2026-11-01&to=2026-11-07&group=model&metric=cost&provider_key=0B7C5E2A-1111-2222-3333-444455556666"));
    expect(v).toEqual({ range: "custom", from: "2026-11-01", to: "2026-11-07", group: "model", metric: "cost", providerKey: "0b7c5e2a-1111-2222-3333-444455556666" });
    expect(readView(p(viewSearch(v).slice(1)))).toEqual(v);
    expect(viewSearch(readView(p("")))).toBe("");
  });

  it("falls back to the defaults for anything it does not know", () => {
    expect(readView(p("range=year&group=team&metric=joy&provider_key=x"))).toEqual({ range: "7d", from: null, to: null, group: "provider", metric: "requests", providerKey: null });
    expect(readView(p("range=custom&from=2026-11-07&to=2026-11-01")).range).toBe("7d");
  });

  it("ends a preset at the end of the current hour and a custom range after its last day", () => {
    const now = Date.parse("2026-12-01T13:25:00Z");
    expect(apiRange(readView(p("range=24h")), now)).toEqual({ from: "2026-11-30T14:00:00.000Z", to: "2026-12-01T14:00:00.000Z" });
    expect(apiRange(readView(p("range=custom&from=2026-11-01&to=2026-11-07")), now)).toEqual({ from: "2026-11-01T00:00:00.000Z", to: "2026-11-08T00:00:00.000Z" });
    expect(apiSearch(readView(p("group=hub_key")), now)).toBe("from=2026-11-24T14%3A00%3A00.000Z&to=2026-12-01T14%3A00%3A00.000Z&group_by=hub_key");
    expect(previousLabel(readView(p("range=custom&from=2026-11-01&to=2026-11-07")))).toBe("the previous 7 days");
    expect(previousLabel(readView(p("range=24h")))).toBe("the previous 24 hours");
  });
});
