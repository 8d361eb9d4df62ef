import { describe, expect, it } from "vitest";
import { isProviderType, PROVIDER_TYPES, PROVIDERS } from "./catalogue";

describe("catalogue", () => {
  it("has the nine provider types, each describing itself", () => {
    expect(PROVIDER_TYPES).toHaveLength(9);
    for (const t of PROVIDER_TYPES) expect(PROVIDERS[t].type).toBe(t);
  });
  it("matches the contract's facts", () => {
    expect(PROVIDERS.openrouter).toMatchObject({ description: "Universal LLM proxy - 200+ models", keyFormat: "sk-or-v1-...", authType: "bearer" });
    expect(PROVIDERS.anthropic.authType).toBe("x-api-key");
    expect(PROVIDERS.google).toMatchObject({ authType: "x-goog-api-key", envVars: ["GOOGLE_API_KEY", "GEMINI_API_KEY"] });
    expect(PROVIDERS.cohere.defaultBaseUrl).toBe("https://api.cohere.com");
    expect(PROVIDERS.custom).toMatchObject({ defaultBaseUrl: null, envVars: [], docsUrl: null });
  });
  it("isProviderType accepts only exact known names", () => {
    expect(isProviderType("openai")).toBe(true);
    expect(isProviderType("OpenAI")).toBe(false);
    expect(isProviderType("deepseek")).toBe(false);
    expect(isProviderType(42)).toBe(false);
  });
});
