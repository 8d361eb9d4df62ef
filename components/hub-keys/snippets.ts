/**
 * Ready-to-paste examples for a new hub key, pointing at this hub: curl and the OpenAI SDKs on the
 * OpenAI-compatible base URL, the Anthropic SDK on its native route (gateway.md section 2).
 */
export const SNIPPET_KINDS = {
  curl: "curl",
  python: "Python (OpenAI SDK)",
  typescript: "TypeScript (OpenAI SDK)",
  anthropic: "Python (Anthropic SDK)",
} as const;
export type SnippetKind = keyof typeof SNIPPET_KINDS;

/** A model each route is known to serve, for the example (the provider's own id after the route). */
const EXAMPLE_MODELS: Record<string, string> = {
  openai: "gpt-4o-mini",
  anthropic: "claude-3-5-haiku-latest",
  groq: "llama-3.1-8b-instant",
  google: "gemini-2.0-flash",
  mistral: "mistral-small-latest",
  cohere: "command-r",
  together: "meta-llama/Llama-3.3-70B-Instruct-Turbo",
  openrouter: "openai/gpt-4o-mini",
};

/** The hub's OpenAI-compatible base URL and the Anthropic SDK's base URL, under `origin`. */
export const compatBaseUrl = (origin: string) => `${origin.replace(/\/+$/, "")}/api/v1/llm/gateway/v1`;
export const anthropicBaseUrl = (origin: string) => `${origin.replace(/\/+$/, "")}/api/v1/llm/gateway/native/anthropic`;

/**
 * The `route/model` the examples call: an exact allowed model as it is, else the example model of
 * the first allowed route (OpenAI's when every provider is allowed).
 */
export function exampleModel(allowed: readonly string[]): string {
  const exact = allowed.find((p) => !p.includes("*") && p.includes("/"));
  if (exact) return exact;
  const route = allowed[0]?.split("/")[0] ?? "openai";
  return `${route}/${EXAMPLE_MODELS[route] ?? "your-model-id"}`;
}

/** Whether the key may call Anthropic models (so the Anthropic example would work as it is). */
export const allowsAnthropic = (allowed: readonly string[]) => allowed.length === 0 || allowed.some((p) => p === "*" || p.startsWith("anthropic/") || p === "anthropic");

const q = (s: string) => JSON.stringify(s);

export function snippet(kind: SnippetKind, origin: string, key: string, allowed: readonly string[]): string {
  const model = exampleModel(allowed);
  const base = compatBaseUrl(origin);
  switch (kind) {
    case "curl":
      return [
        `curl ${base}/chat/completions \\`,
        `  -H ${shellQuote(`Authorization: Bearer ${key}`)} \\`,
        `  -H 'Content-Type: application/json' \\`,
        `  -d ${shellQuote(JSON.stringify({ model, messages: [{ role: "user", content: "Hello!" }] }))}`,
      ].join("\n");
    case "python":
      return [
        "from openai import OpenAI",
        "",
        "client = OpenAI(",
        `    base_url=${q(base)},`,
        `    api_key=${q(key)},`,
        ")",
        "reply = client.chat.completions.create(",
        `    model=${q(model)},`,
        '    messages=[{"role": "user", "content": "Hello!"}],',
        ")",
        "print(reply.choices[0].message.content)",
      ].join("\n");
    case "typescript":
      return [
        'import OpenAI from "openai";',
        "",
        "const client = new OpenAI({",
        `  baseURL: ${q(base)},`,
        `  apiKey: ${q(key)},`,
        "});",
        "const reply = await client.chat.completions.create({",
        `  model: ${q(model)},`,
        '  messages: [{ role: "user", content: "Hello!" }],',
        "});",
        "console.log(reply.choices[0].message.content);",
      ].join("\n");
    case "anthropic":
      return [
        "import anthropic",
        "",
        "client = anthropic.Anthropic(",
        `    base_url=${q(anthropicBaseUrl(origin))},`,
        `    api_key=${q(key)},`,
        ")",
        "message = client.messages.create(",
        `    model=${q(EXAMPLE_MODELS.anthropic!)},`,
        "    max_tokens=256,",
        '    messages=[{"role": "user", "content": "Hello!"}],',
        ")",
        "print(message.content[0].text)",
      ].join("\n");
  }
}

/** Single-quoted for a POSIX shell (a quote inside becomes '\''). */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
