import { describe, expect, it } from "vitest";
import { apiFilters, EMPTY_VIEW, readView, viewSearch } from "./view";

describe("the Audit tab's view", () => {
  it("round-trips through the URL, dropping what is malformed", () => {
    const v = readView(new URLSearchParams("actor=ad&action=provider_key.&provider=openai&outcome=denied&from=2026-11-01&to=2026-11-03"));
    expect(v).toEqual({ actor: "ad", action: "provider_key.", provider: "openai", outcome: "denied", from: "2026-11-01", to: "2026-11-03" });
    expect(readView(new URLSearchParams(viewSearch(v)))).toEqual(v);
    expect(readView(new URLSearchParams("outcome=maybe&from=yesterday"))).toEqual(EMPTY_VIEW);
    expect(viewSearch(EMPTY_VIEW)).toBe("");
  });

  it("asks the API for the actor as a prefix and the days as whole UTC days", () => {
    const q = apiFilters({ ...EMPTY_VIEW, actor: "ad", from: "2026-11-01", to: "2026-11-03" });
    expect(Object.fromEntries(q)).toEqual({ actor: "ad*", from: "2026-11-01T00:00:00.000Z", to: "2026-11-04T00:00:00.000Z" });
    expect(apiFilters({ ...EMPTY_VIEW, actor: "a@b.c*" }).get("actor")).toBe("a@b.c*");
    expect(apiFilters(EMPTY_VIEW).toString()).toBe("");
  });
});
