import { describe, expect, it } from "vitest";
import { detectKeyProvider, formatWarnings } from "./format-hints";

const hex64 = "0123456789abcdef".repeat(4);
const KEYS = {
  openrouter: `sk-or-v1-${hex64}`,
  openai: `sk-proj-${"A1b2C3d4".repeat(8)}T3BlbkFJ${"x".repeat(20)}`,
  openaiLegacy: `sk-${"a".repeat(20)}T3BlbkFJ${"b".repeat(20)}`,
  anthropic: `sk-ant-api03-${"Ab_-".repeat(23)}zAA`,
  googleLegacy: `AIza${"B".repeat(35)}`,
  googleNew: `AQ.${"Ab8RN6".repeat(8)}`,
  googleIq: `IQ.${"Zz9".repeat(10)}`,
  groq: `gsk_${"a1".repeat(24)}`,
  together: `tgp_v1_${"a-".repeat(21)}x`,
  cohere: "a".repeat(40),
  mistral: "B".repeat(32),
};

describe("formatWarnings", () => {
  it("accepts each provider's own format", () => {
    expect(formatWarnings("openrouter", KEYS.openrouter)).toEqual([]);
    expect(formatWarnings("openai", KEYS.openai)).toEqual([]);
    expect(formatWarnings("openai", KEYS.openaiLegacy)).toEqual([]);
    expect(formatWarnings("anthropic", KEYS.anthropic)).toEqual([]);
    expect(formatWarnings("google", KEYS.googleLegacy)).toEqual([]);
    expect(formatWarnings("google", KEYS.googleNew)).toEqual([]);
    expect(formatWarnings("google", KEYS.googleIq)).toEqual([]);
    expect(formatWarnings("groq", KEYS.groq)).toEqual([]);
    expect(formatWarnings("together", KEYS.together)).toEqual([]);
    expect(formatWarnings("together", "0123456789abcdef0123456789abcdef")).toEqual([]); // older unprefixed keys
    expect(formatWarnings("cohere", KEYS.cohere)).toEqual([]);
    expect(formatWarnings("mistral", KEYS.mistral)).toEqual([]);
  });

  it("names the provider a key clearly belongs to", () => {
    expect(formatWarnings("openai", KEYS.anthropic)).toEqual(["This looks like an Anthropic key, not an OpenAI key."]);
    expect(formatWarnings("openai", KEYS.openrouter)).toEqual(["This looks like an OpenRouter key, not an OpenAI key."]);
    expect(formatWarnings("anthropic", KEYS.openai)).toEqual(["This looks like an OpenAI key, not an Anthropic key."]);
    expect(formatWarnings("groq", KEYS.googleNew)).toEqual(["This looks like a Google AI key, not a Groq key."]);
    expect(formatWarnings("mistral", KEYS.groq)).toEqual(["This looks like a Groq key, not a Mistral AI key."]);
    expect(formatWarnings("cohere", KEYS.together)).toEqual(["This looks like a Together AI key, not a Cohere key."]);
    expect(formatWarnings("openrouter", KEYS.openaiLegacy)).toEqual(["This looks like an OpenAI key, not an OpenRouter key."]);
  });

  it("checks longer prefixes before bare sk-", () => {
    expect(detectKeyProvider("sk-ant-api03-x")).toBe("anthropic");
    expect(detectKeyProvider("sk-or-v1-x")).toBe("openrouter");
    expect(detectKeyProvider("sk-svcacct-x")).toBe("openai");
    expect(detectKeyProvider("sk-x")).toBe("openai");
    expect(detectKeyProvider("plainkey")).toBeNull();
  });

  it("warns specifically about Anthropic admin keys and OAuth tokens", () => {
    const [admin] = formatWarnings("anthropic", `sk-ant-admin01-${"x".repeat(90)}`);
    expect(admin).toContain("Admin API key");
    const [oauth] = formatWarnings("anthropic", `sk-ant-oat01-${"x".repeat(90)}`);
    expect(oauth).toContain("OAuth access token");
  });

  it("warns when a key does not match the chosen provider's pattern", () => {
    expect(formatWarnings("openrouter", "sk-or-short")).toEqual([
      "This does not look like an OpenRouter key (they usually start with sk-or-v1-).",
    ]);
    expect(formatWarnings("google", "nonsense-key-value-123")[0]).toContain("AIza or AQ.");
    expect(formatWarnings("groq", "gsk_short")).toHaveLength(1);
    expect(formatWarnings("together", "tgp_v1_x")).toHaveLength(1);
  });

  it("never warns for custom endpoints and never echoes the key", () => {
    expect(formatWarnings("custom", KEYS.anthropic)).toEqual([]);
    const secret = "SECRETVALUE123456789xyz";
    for (const type of ["openai", "openrouter", "google", "groq", "anthropic"] as const) {
      for (const w of formatWarnings(type, secret)) expect(w).not.toContain("SECRET");
    }
  });
});
