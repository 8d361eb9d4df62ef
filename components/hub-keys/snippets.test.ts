import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { allowsAnthropic, exampleModel, SNIPPET_KINDS, type SnippetKind, snippet } from "./snippets";

const ORIGIN = "https://hub.example.com";
const KEY = `llmhub_${"Ab3".padEnd(40, "x")}`;

describe("ready-to-paste examples", () => {
  it("point at this hub's base URLs and hold the key", () => {
    expect(snippet("curl", ORIGIN, KEY, [])).toContain(`curl https://hub.example.com/api/v1/llm/gateway/v1/chat/completions \\`);
    expect(snippet("python", `${ORIGIN}/`, KEY, [])).toContain(`OpenAI(\n    base_url="https://hub.example.com/api/v1/llm/gateway/v1",\n    api_key="${KEY}",\n)`);
    expect(snippet("typescript", ORIGIN, KEY, [])).toContain(`new OpenAI({\n  baseURL: "https://hub.example.com/api/v1/llm/gateway/v1",\n  apiKey: "${KEY}",\n})`);
    expect(snippet("anthropic", ORIGIN, KEY, [])).toContain(`anthropic.Anthropic(\n    base_url="https://hub.example.com/api/v1/llm/gateway/native/anthropic",\n    api_key="${KEY}",\n)`);
  });

  it("call a model the key may use", () => {
    expect(exampleModel([])).toBe("openai/gpt-4o-mini");
    expect(exampleModel(["groq/*"])).toBe("groq/llama-3.1-8b-instant");
    expect(exampleModel(["groq/llama-*", "mistral/mistral-large-latest"])).toBe("mistral/mistral-large-latest");
    expect(exampleModel(["my-vllm/*"])).toBe("my-vllm/your-model-id");
    expect(snippet("python", ORIGIN, KEY, ["groq/*"])).toContain(`model="groq/llama-3.1-8b-instant",`);
    expect([allowsAnthropic([]), allowsAnthropic(["anthropic/*"]), allowsAnthropic(["openai/*"])]).toEqual([true, true, false]);
  });

  it("the curl example is one valid shell command sending valid JSON", () => {
    const cmd = snippet("curl", ORIGIN, KEY, ["openai/*"]);
    // run it with `curl` replaced by a function that prints its arguments, one per line
    const out = spawnSync("bash", ["-c", `curl() { printf '%s\\n' "$@"; }\n${cmd}`], { encoding: "utf8" });
    expect(out.status, out.stderr).toBe(0);
    const args = out.stdout.trimEnd().split("\n");
    expect(args).toEqual(["https://hub.example.com/api/v1/llm/gateway/v1/chat/completions", "-H", `Authorization: Bearer ${KEY}`, "-H", "Content-Type: application/json", "-d", args[6]]);
    expect(JSON.parse(args[6]!)).toEqual({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "Hello!" }] });
  });

  it.skipIf(spawnSync("python3", ["--version"]).status !== 0)("the Python examples are valid Python", () => {
    for (const kind of ["python", "anthropic"] as SnippetKind[]) {
      const out = spawnSync("python3", ["-c", "import ast, sys; ast.parse(sys.stdin.read())"], { input: snippet(kind, ORIGIN, KEY, []), encoding: "utf8" });
      expect(out.status, `${SNIPPET_KINDS[kind]}: ${out.stderr}`).toBe(0);
    }
  });
});
