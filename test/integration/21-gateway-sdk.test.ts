// The gateway (gateway.md sections 2-3) with unmodified official SDKs pointed at the built app: the
// openai SDK on the OpenAI-compatible base URL (chat, streamed chat, embeddings, models.list) and
// the @anthropic-ai/sdk on the native route. Real provider keys are stored in the app; the hub key
// is all the SDK gets.
import http from "node:http";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { signedIn } from "../support/client";
import { admin } from "../support/context";
import { compatBase, ensureProviderKey, issueHubKey, nativeBase, saveCustomEndpoint, useEnvironmentKey } from "../support/gateway";
import { findLeak } from "../support/keys";
import { serverLog } from "../support/server-log";

let hubKey = "";
let openai: OpenAI;

beforeAll(async () => {
  const c = await signedIn(admin("gateway"));
  for (const type of ["openai", "anthropic", "groq", "google"] as const) await ensureProviderKey(c, type);
  await useEnvironmentKey(c, "mistral");
  await saveCustomEndpoint(c, "Local vLLM", inject("fakeBaseUrls").custom!);
  hubKey = (await issueHubKey(c, { name: "sdk-tests", owner: "integration" })).key;
  openai = new OpenAI({ apiKey: hubKey, baseURL: compatBase(), maxRetries: 0 });
});

describe("the OpenAI SDK through the hub", () => {
  it("chat completion, with the request id and the provider's usage", async () => {
    const { data, response } = await openai.chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "Say hello" }] }).withResponse();
    expect(response.headers.get("x-llmhub-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(data.object).toBe("chat.completion");
    expect(typeof data.choices[0]!.message.content).toBe("string");
    expect(data.usage!.prompt_tokens).toBeGreaterThan(0);
  });

  it("streams chunks as the provider sends them, not all at the end", async () => {
    const stream = await openai.chat.completions.create({ model: "openai/gpt-4o-mini-drip-10x100", messages: [{ role: "user", content: "count" }], stream: true });
    const arrivals: number[] = [];
    let sawUsage = false;
    const t0 = performance.now();
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta?.content) arrivals.push(performance.now() - t0);
      if (chunk.usage) sawUsage = true;
    }
    expect(arrivals.length).toBe(10);
    // 10 chunks 100 ms apart: spread over ~900 ms, the first long before the last
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(600);
    // the hub asked for the usage chunk for itself; this client did not, so it does not get it
    expect(sawUsage).toBe(false);
  });

  it("gives the usage chunk to a client that asked for it", async () => {
    const stream = await openai.chat.completions.create({ model: "groq/llama-3.1-8b-instant", messages: [{ role: "user", content: "hi" }], stream: true, stream_options: { include_usage: true } });
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("embeddings", async () => {
    const res = await openai.embeddings.create({ model: "openai/text-embedding-3-small", input: ["one", "two"] });
    expect(res.data).toHaveLength(2);
    expect(res.data[0]!.embedding.length).toBeGreaterThan(0);
  });

  it("models.list(): every configured provider's models under its route", async () => {
    const ids: string[] = [];
    for await (const m of openai.models.list()) ids.push(m.id);
    for (const route of ["openai/", "anthropic/", "groq/", "google/", "mistral/", "local-vllm/"]) expect(ids.some((id) => id.startsWith(route)), `${route} in ${ids.join(", ")}`).toBe(true);
  });

  it("reaches every kind of route: the environment's key (mistral), Google's and Anthropic's compatibility APIs, a custom endpoint", async () => {
    for (const model of ["mistral/mistral-small-latest", "google/gemini-2.0-flash", "anthropic/claude-3-5-haiku-latest", "local-vllm/my-model"]) {
      const r = await openai.chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] });
      expect(r.choices[0]!.message.content, model).toBeTruthy();
    }
  });

  it("the OpenAI SDK on a native route works too", async () => {
    const native = new OpenAI({ apiKey: hubKey, baseURL: nativeBase("openai"), maxRetries: 0 });
    const r = await native.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    expect(r.choices[0]!.message.content).toBeTruthy();
  });
});

describe("the Anthropic SDK through the native route", () => {
  const anthropic = () => new Anthropic({ apiKey: hubKey, baseURL: nativeBase("anthropic"), maxRetries: 0 });

  it("messages.create", async () => {
    const msg = await anthropic().messages.create({ model: "claude-3-5-haiku-latest", max_tokens: 64, messages: [{ role: "user", content: "Say hello" }] });
    expect(msg.type).toBe("message");
    expect(msg.content[0]!.type).toBe("text");
    expect(msg.usage.input_tokens).toBeGreaterThan(0);
  });

  it("a streamed message arrives as it is written", async () => {
    const arrivals: number[] = [];
    const t0 = performance.now();
    const stream = anthropic().messages.stream({ model: "claude-3-5-haiku-drip-6x100", max_tokens: 64, messages: [{ role: "user", content: "count" }] });
    stream.on("text", () => arrivals.push(performance.now() - t0));
    const final = await stream.finalMessage();
    expect(arrivals.length).toBe(6);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(350);
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });
});

describe("what never crosses", () => {
  it("a provider error that echoes the provider key reaches the SDK redacted, and the log holds no key", async () => {
    const err = await openai.chat.completions.create({ model: "openai/gpt-4o-mini-echo-key", messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    const e = err as InstanceType<typeof OpenAI.AuthenticationError>;
    const seen = `${e.message}\n${JSON.stringify(e.error)}\n${[...(e.headers?.entries() ?? [])].map(([k, v]) => `${k}: ${v}`).join("\n")}`;
    expect(findLeak(seen)).toBeNull();
    expect(seen).not.toContain(hubKey);
    expect(findLeak(serverLog())).toBeNull();
    expect(serverLog()).not.toContain(hubKey);
  });
});

describe("what the hub does to the bytes", () => {
  /** One raw request (node:http: no decoding), as a client that accepts compressed answers makes it. */
  const raw = (method: string, url: string, body?: string) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const headers: Record<string, string> = { authorization: `Bearer ${hubKey}`, "accept-encoding": "gzip, deflate, br" };
      if (body) headers["content-type"] = "application/json";
      const req = http.request(url, { method, headers }, (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      });
      req.on("error", reject);
      req.end(body);
    });

  it("answers go out uncompressed and marked no-transform, even to a client that accepts gzip", async () => {
    // answers over the compression's 1 kB threshold: the embeddings and the model list were gzipped before
    const answers = {
      embeddings: await raw("POST", `${compatBase()}/embeddings`, JSON.stringify({ model: "openai/text-embedding-3-small", input: ["one", "two", "three", "four", "five", "six", "seven", "eight"] })),
      models: await raw("GET", `${compatBase()}/models`),
      chat: await raw("POST", `${compatBase()}/chat/completions`, JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })),
      "hub error": await raw("POST", `${compatBase()}/chat/completions`, JSON.stringify({ model: "nowhere/x", messages: [] })),
    };
    expect(answers.embeddings.body.length, "an answer big enough to be compressed").toBeGreaterThan(1024);
    expect(answers.models.body.length, "an answer big enough to be compressed").toBeGreaterThan(1024);
    for (const [name, a] of Object.entries(answers)) {
      expect(a.headers["content-encoding"], name).toBeUndefined();
      expect(a.headers["cache-control"], name).toMatch(/(^|,\s*)no-transform(\s*,|$)/);
      expect(a.headers.vary ?? "", name).not.toMatch(/accept-encoding/i);
      expect(() => JSON.parse(a.body.toString("utf8")), name).not.toThrow();
    }
    expect(answers["hub error"].status).toBe(404);
  });
});
