import { describe, expect, it } from "vitest";
import { createHubKeySchema, MAX_PATTERNS, patchHubKeySchema } from "./schemas";

const firstIssue = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => {
  const i = r.error?.issues[0];
  return i ? `${i.path.map(String).join(".")}: ${i.message}` : null;
};

describe("hub key schemas", () => {
  it("accepts a full create body and normalises the patterns", () => {
    const r = createHubKeySchema.parse({ name: " app ", owner: "team-a", allowed: ["OpenAI/*", "groq", "openai/*"], rpm_limit: 60, monthly_budget_usd: 12.5, expires_at: "2999-01-01T00:00:00Z" });
    expect(r).toMatchObject({ name: "app", owner: "team-a", allowed: ["openai/*", "groq/*"], rpm_limit: 60, monthly_budget_usd: 12.5 });
    expect(r.expires_at).toEqual(new Date("2999-01-01T00:00:00Z"));
  });

  it.each([
    [{}, "name: field required"],
    [{ name: "" }, "name: must not be empty"],
    [{ name: "a\u0000b" }, "name: must not contain control characters"],
    [{ name: "a", allowed: "openai/*" }, "allowed: must be a list of patterns such as ['openai/*', 'groq/llama-*']"],
    [{ name: "a", allowed: ["openai/*", "bad route/x"] }, "allowed.1: must not contain spaces or control characters"],
    [{ name: "a", allowed: ["Ä/*"] }, "allowed.0: must start with a route (a provider type or custom endpoint slug), e.g. 'openai/*'"],
    [{ name: "a", allowed: Array.from({ length: MAX_PATTERNS + 1 }, (_, i) => `r${i}/*`) }, `allowed: must hold at most ${MAX_PATTERNS} patterns`],
    [{ name: "a", rpm_limit: 0 }, "rpm_limit: must be at least 1"],
    [{ name: "a", rpm_limit: 1.5 }, "rpm_limit: must be a whole number"],
    [{ name: "a", rpm_limit: "60" }, "rpm_limit: must be a whole number of requests per minute"],
    [{ name: "a", monthly_budget_usd: -1 }, "monthly_budget_usd: must be more than 0"],
    // the column keeps 4 decimals: a smaller budget would be stored as $0 and refuse every request
    [{ name: "a", monthly_budget_usd: 0.00004 }, "monthly_budget_usd: must be at least 0.0001 (budgets are kept to a hundredth of a cent)"],
    [{ name: "a", expires_at: "tomorrow" }, "expires_at: must be an ISO 8601 date and time with a zone, e.g. 2027-01-31T00:00:00Z"],
    [{ name: "a", expires_at: "2000-01-01T00:00:00Z" }, "expires_at: must be in the future"],
    [{ name: "a", scopes: [] }, "scopes: must hold at least one scope (gateway, ingest)"],
    [{ name: "a", scopes: ["gateway", "admin"] }, "scopes.1: must be one of gateway, ingest"],
    [{ name: "a", scopes: "ingest" }, "scopes: must be a list of scopes (gateway, ingest)"],
  ])("refuses %j naming the field", (body, message) => {
    expect(firstIssue(createHubKeySchema.safeParse(body))).toBe(message);
  });

  it("keeps each scope once, in a fixed order; no scopes given means the default", () => {
    expect(createHubKeySchema.parse({ name: "a", scopes: ["ingest", "gateway", "ingest"] }).scopes).toEqual(["gateway", "ingest"]);
    expect(createHubKeySchema.parse({ name: "a" }).scopes).toBeUndefined();
    expect(patchHubKeySchema.parse({ scopes: ["ingest"] })).toEqual({ scopes: ["ingest"] });
  });

  it("refuses unknown fields (parseWith names them)", () => {
    expect(createHubKeySchema.safeParse({ name: "a", key: "llmhub_x" }).error?.issues[0]?.code).toBe("unrecognized_keys");
    expect(firstIssue(createHubKeySchema.safeParse([]))).toBe(": must be an object");
  });

  it("PATCH needs a field, clears with null and allows a past expiry", () => {
    expect(firstIssue(patchHubKeySchema.safeParse({}))).toMatch(/^: send at least one of name, owner/);
    expect(patchHubKeySchema.parse({ rpm_limit: null, owner: null })).toEqual({ rpm_limit: null, owner: null });
    expect(patchHubKeySchema.parse({ expires_at: "2000-01-01T00:00:00Z" }).expires_at).toEqual(new Date("2000-01-01T00:00:00Z"));
  });
});
