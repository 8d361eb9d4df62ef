import { describe, expect, it } from "vitest";
import { createBody, EMPTY_FORM, labelled, patchBody } from "./form-values";

const form = (v: Partial<typeof EMPTY_FORM>) => ({ ...EMPTY_FORM, ...v });

describe("the hub key form", () => {
  it("creates with only what was filled in", () => {
    expect(createBody(form({ name: "billing" }))).toEqual({ name: "billing", allowed: [] });
    expect(createBody(form({ name: "b", owner: "team", allowed: "openai/*, groq/llama-*\nmistral", rpm: "120", budget: "25.5", expires: "2027-01-31" }))).toEqual({
      name: "b",
      owner: "team",
      allowed: ["openai/*", "groq/llama-*", "mistral"],
      rpm_limit: 120,
      monthly_budget_usd: 25.5,
      expires_at: "2027-01-31T00:00:00Z",
    });
    // a value that is not a number goes as it is, for the server to name the problem
    expect(createBody(form({ name: "b", rpm: "12x" })).rpm_limit).toBe("12x");
  });

  it("patches only what changed, and clears emptied fields with null", () => {
    const before = form({ name: "b", owner: "team", allowed: "openai/*, groq/*", rpm: "120", budget: "5", expires: "2027-01-31" });
    expect(patchBody(before, before)).toEqual({});
    expect(patchBody(before, { ...before, allowed: "openai/*,  groq/*" })).toEqual({});
    expect(patchBody(before, { ...before, owner: "", rpm: "", budget: "7.5", expires: "" })).toEqual({ owner: null, rpm_limit: null, monthly_budget_usd: 7.5, expires_at: null });
    expect(patchBody(before, { ...before, name: "c", allowed: "" })).toEqual({ name: "c", allowed: [] });
  });

  it("sends scopes only when they differ from the default (create) or from before (edit)", () => {
    expect(createBody(form({ name: "b", scopes: ["ingest"] }))).toEqual({ name: "b", allowed: [], scopes: ["ingest"] });
    expect(createBody(form({ name: "b", scopes: ["gateway"] }))).toEqual({ name: "b", allowed: [] });
    const before = form({ name: "b", scopes: ["gateway"] });
    expect(patchBody(before, { ...before, scopes: ["ingest", "gateway"] })).toEqual({ scopes: ["ingest", "gateway"] });
    expect(patchBody(form({ scopes: ["gateway", "ingest"] }), form({ scopes: ["ingest", "gateway"] }))).toEqual({});
    // none ticked goes as it is: the server names the problem
    expect(patchBody(before, { ...before, scopes: [] })).toEqual({ scopes: [] });
  });

  it("names fields as the form labels them", () => {
    expect(labelled("rpm_limit: must be at least 1")).toBe("Requests per minute: must be at least 1");
    expect(labelled("changes.monthly_budget_usd: must be more than 0")).toBe("Monthly budget: must be more than 0");
    expect(labelled("allowed.1: must not contain spaces or control characters")).toBe("Allowed models (pattern 2): must not contain spaces or control characters");
    expect(labelled("scopes: must hold at least one scope (gateway, ingest)")).toBe("Use for: must hold at least one scope (gateway, ingest)");
    expect(labelled("Hub key not found")).toBe("Hub key not found");
  });
});
