import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globMatch, isModelAllowed, isWholeRouteAllowed, normalizePattern, parseGatewayModel, patternProblem } from "./model-route";

describe("parseGatewayModel", () => {
  it("splits at the first slash; the model part keeps its slashes and case", () => {
    expect(parseGatewayModel("openai/gpt-4o-mini")).toEqual({ route: "openai", model: "gpt-4o-mini" });
    expect(parseGatewayModel("openrouter/meta-llama/Llama-3.1-8B")).toEqual({ route: "openrouter", model: "meta-llama/Llama-3.1-8B" });
    expect(parseGatewayModel("OpenAI/GPT-4o")).toEqual({ route: "openai", model: "GPT-4o" });
    expect(parseGatewayModel("lab-vllm/qwen")).toEqual({ route: "lab-vllm", model: "qwen" });
  });

  it("refuses names without a route or a model", () => {
    for (const bad of ["gpt-4o", "/gpt-4o", "openai/", "", "/", "open ai/x", "ope\nnai/x", `${"r".repeat(65)}/m`]) {
      expect(parseGatewayModel(bad)).toBeNull();
    }
  });
});

describe("globMatch", () => {
  it("`*` matches any run, slashes included; everything else is literal and anchored", () => {
    expect(globMatch("openai/*", "openai/gpt-4o")).toBe(true);
    expect(globMatch("openai/*", "openai/")).toBe(true);
    expect(globMatch("openai/*", "openrouter/x")).toBe(false);
    expect(globMatch("groq/llama-*", "groq/llama-3.1-8b")).toBe(true);
    expect(globMatch("groq/llama-*", "groq/mixtral")).toBe(false);
    expect(globMatch("groq/llama-*", "xgroq/llama-1")).toBe(false);
    expect(globMatch("openrouter/*/llama*", "openrouter/meta-llama/llama-3")).toBe(true);
    expect(globMatch("a?c", "abc")).toBe(false);
    expect(globMatch("a.c", "abc")).toBe(false);
    expect(globMatch("a[b]c", "a[b]c")).toBe(true);
    expect(globMatch("*-mini", "openai/gpt-4o-mini")).toBe(true);
    expect(globMatch("openai/gpt-4o", "openai/gpt-4o-mini")).toBe(false);
  });

  it("agrees with an equivalent regular expression", () => {
    const alphabet = fc.constantFrom("a", "b", "/", "-", "*");
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 8 }), fc.string({ unit: fc.constantFrom("a", "b", "/", "-"), maxLength: 10 }), (pattern, text) => {
        const re = new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")).join(".*")}$`, "s");
        return globMatch(pattern, text) === re.test(text);
      }),
      { numRuns: 2000 },
    );
  });

  it("stays fast on patterns that make naive matchers backtrack", () => {
    const t0 = performance.now();
    expect(globMatch(`${"*a".repeat(40)}b`, "a".repeat(5000))).toBe(false);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe("allowed patterns", () => {
  const m = (name: string) => parseGatewayModel(name)!;

  it("empty allows everything", () => {
    expect(isModelAllowed([], m("openai/gpt-4o"))).toBe(true);
    expect(isWholeRouteAllowed([], "custom-lab")).toBe(true);
  });

  it("the contract's example", () => {
    const allowed = ["openai/*", "groq/llama-*"];
    expect(isModelAllowed(allowed, m("openai/gpt-4o-mini"))).toBe(true);
    expect(isModelAllowed(allowed, m("groq/llama-3.3-70b"))).toBe(true);
    expect(isModelAllowed(allowed, m("groq/mixtral-8x7b"))).toBe(false);
    expect(isModelAllowed(allowed, m("anthropic/claude-3-5-haiku"))).toBe(false);
  });

  it("route part ignores case on both sides, the model part does not", () => {
    expect(isModelAllowed(["OpenAI/*"], m("openai/gpt-4o"))).toBe(true);
    expect(isModelAllowed(["openai/*"], m("OPENAI/gpt-4o"))).toBe(true);
    expect(isModelAllowed(["groq/llama-*"], m("groq/Llama-3"))).toBe(false);
    expect(isModelAllowed(["together/meta-llama/*"], m("together/meta-llama/Llama-3.3-70B"))).toBe(true);
  });

  it("a bare route is the whole route; `*` is everything", () => {
    expect(normalizePattern("openai")).toBe("openai/*");
    expect(normalizePattern(" Groq/Llama-* ")).toBe("groq/Llama-*");
    expect(isModelAllowed(["openai"], m("openai/o3"))).toBe(true);
    expect(isModelAllowed(["openai"], m("openrouter/openai/o3"))).toBe(false);
    expect(isModelAllowed(["*"], m("lab/x"))).toBe(true);
  });

  it("a request without a model needs the whole route", () => {
    expect(isWholeRouteAllowed(["openai/*"], "openai")).toBe(true);
    expect(isWholeRouteAllowed(["openai"], "OpenAI")).toBe(true);
    expect(isWholeRouteAllowed(["openai/gpt-4o*"], "openai")).toBe(false);
    expect(isWholeRouteAllowed(["groq/*"], "openai")).toBe(false);
    expect(isWholeRouteAllowed(["*"], "anything")).toBe(true);
    expect(isWholeRouteAllowed(["*/*"], "anything")).toBe(true);
  });

  it("patternProblem names what is wrong", () => {
    expect(patternProblem("openai/*")).toBeNull();
    expect(patternProblem("*")).toBeNull();
    expect(patternProblem("")).toMatch(/empty/);
    expect(patternProblem("open ai/*")).toMatch(/spaces/);
    expect(patternProblem("x".repeat(201))).toMatch(/200/);
    expect(patternProblem("op@nai/*")).toMatch(/route/);
  });
});
