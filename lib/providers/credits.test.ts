import { describe, expect, it } from "vitest";
import { creditFigures, creditsOf } from "./credits";
import { parseJsonBody } from "./response-body";

const answer = (data: Record<string, unknown>) => parseJsonBody(JSON.stringify({ data }));

describe("creditsOf", () => {
  it("keeps OpenRouter's usage, limit, limit_remaining and limit_reset", () => {
    expect(creditsOf("openrouter", 200, answer({ label: "sk-or-v1-...", usage: 6.8, limit: 10, limit_remaining: 3.2, limit_reset: "monthly" }))).toEqual({
      usage: 6.8,
      limit: 10,
      limit_remaining: 3.2,
      limit_reset: "monthly",
    });
  });

  it("an uncapped key has null figures; odd values are unknown, not trusted", () => {
    expect(creditsOf("openrouter", 200, answer({ usage: 0, limit: null, limit_remaining: null, limit_reset: null }))).toEqual({ usage: 0, limit: null, limit_remaining: null, limit_reset: null });
    expect(creditsOf("openrouter", 200, answer({ usage: "1", limit: 10, limit_remaining: "lots", limit_reset: "<b>every day</b>" }))).toEqual({ usage: null, limit: 10, limit_remaining: null, limit_reset: null });
  });

  it("says nothing for other providers, failed answers or bodies without the figures", () => {
    expect(creditsOf("openai", 200, answer({ usage: 1, limit: 10, limit_remaining: 1 }))).toBeNull();
    expect(creditsOf("openrouter", 402, answer({ usage: 1, limit: 10, limit_remaining: 0 }))).toBeNull();
    expect(creditsOf("openrouter", 200, answer({ label: "x" }))).toBeNull();
    expect(creditsOf("openrouter", 200, parseJsonBody("<html>"))).toBeNull();
  });
});

describe("creditFigures", () => {
  it("says what is left of the cap, or that there is none", () => {
    expect(creditFigures({ usage: 6.8, limit: 10, limit_remaining: 3.2, limit_reset: null })).toBe("$3.20 credit left of $10.00");
    expect(creditFigures({ usage: 6.8, limit: 10, limit_remaining: 3.2, limit_reset: "weekly" })).toBe("$3.20 credit left of $10.00 (weekly limit)");
    expect(creditFigures({ usage: 6.8, limit: null, limit_remaining: null, limit_reset: null })).toBe("no limit");
  });
});
