import { describe, expect, it } from "vitest";
import { embeddingInputs, geminiPromptWords, openAiUsage, promptWords, reportedOpenAi, wordCount } from "./usage";

describe("deterministic token counts", () => {
  it("count words of every text a request carries, whatever its shape", () => {
    expect(wordCount("  one\ttwo\nthree  ")).toBe(3);
    expect(
      promptWords({
        system: [{ type: "text", text: "be brief" }],
        messages: [
          { role: "user", content: "one two" },
          { role: "user", content: [{ type: "text", text: "three" }, { type: "image_url", image_url: { url: "x" } }] },
        ],
      }),
    ).toBe(5);
    expect(geminiPromptWords({ systemInstruction: { parts: [{ text: "a b" }] }, contents: [{ role: "user", parts: [{ text: "c d e" }] }] })).toBe(5);
  });

  it("embedding inputs: strings count words, token-id arrays count ids", () => {
    expect(embeddingInputs("a b c")).toEqual({ texts: ["a b c"], tokens: 3 });
    expect(embeddingInputs(["a b", "c"]).tokens).toBe(3);
    expect(embeddingInputs([1, 2, 3, 4]).tokens).toBe(4);
    expect(embeddingInputs([[1, 2], [3]]).tokens).toBe(3);
  });

  it("each provider's usage carries only the fields it really has", () => {
    const c = { input: 10, output: 4, cached: 5, reasoning: 8 };
    expect(openAiUsage("openai", c)).toMatchObject({ prompt_tokens: 10, completion_tokens: 12, total_tokens: 22, prompt_tokens_details: { cached_tokens: 5 } });
    expect(openAiUsage("mistral", c)).toEqual({ prompt_tokens: 10, completion_tokens: 12, total_tokens: 22 });
    expect(reportedOpenAi("mistral", c)).toEqual({ inputTokens: 10, outputTokens: 12, cachedTokens: null, reasoningTokens: null, costUsd: null });
    expect(reportedOpenAi("openrouter", c).costUsd).toBe(openAiUsage("openrouter", c).cost);
  });
});
