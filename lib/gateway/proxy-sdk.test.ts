// The engine end to end: the official SDKs, unmodified, against a stand-in route handler calling
// proxyGatewayRequest, in front of the fake provider. What the SDKs get, what the fake saw, and
// what the engine reported must all agree.
import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeProvider, type FakeProvider, type RecordedRequest } from "@/test/fake-provider/server";
import { providerKey, startHarness, type Harness } from "@/test/support/gateway-harness";

let fake: FakeProvider;
let hub: Harness;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake.close();
});

const openai = (apiKey = hub.hubKey) => new OpenAI({ apiKey, baseURL: hub.compatBase, maxRetries: 0 });
const ask = { messages: [{ role: "system" as const, content: "Be brief." }, { role: "user" as const, content: "What is the capital of France?" }] };
const REPLY = "Hello from the fake provider.";
const lastRecord = (): RecordedRequest => fake.requests.at(-1)!;
/** The usage the engine reported, in the fake's convention, to compare with what the fake sent. */
const reported = (o: { inputTokens: number | null; outputTokens: number | null; cachedTokens: number | null; reasoningTokens: number | null; providerCostUsd: number | null }) => ({
  inputTokens: o.inputTokens,
  outputTokens: o.outputTokens,
  cachedTokens: o.cachedTokens,
  reasoningTokens: o.reasoningTokens,
  costUsd: o.providerCostUsd,
});

// every test runs twice: with the answer streamed as a Web ReadableStream (Next's server) and
// written straight to Node's response (npm start's fast path: lib/gateway/request.ts)
describe.each([{ server: "web" }, { server: "node" }] as const)("answers written for the $server server", ({ server }) => {
  beforeAll(async () => {
    hub = await startHarness(fake, { node: server === "node" });
  });
  afterAll(async () => {
    await hub.close();
  });

  describe("OpenAI-compatible chat through the engine", () => {
    it("non-stream: the answer, the provider's own model id and key upstream, usage equal to the fake's", async () => {
      const n = hub.outcomes.length;
      const c = await openai().chat.completions.create({ model: "openai/gpt-4o-mini-cached-reasoning", ...ask });
      expect(c.choices[0]?.message.content).toBe(REPLY);
      const r = lastRecord();
      expect(r).toMatchObject({ provider: "openai", path: "/openai/v1/chat/completions", expectedAuthPresent: true, keyLength: providerKey("openai").length });
      expect(r.inference?.model).toBe("gpt-4o-mini-cached-reasoning");
      // the hub key and the client's connection details never reach the provider
      expect(r.headers["accept-encoding"]).toBe("identity");
      for (const h of ["x-api-key", "x-goog-api-key", "api-key", "cookie", "x-forwarded-for"]) expect(r.headers[h]).toBeUndefined();
      const o = await hub.outcomeAfter(n);
      expect(reported(o)).toEqual(r.inference!.usage);
      expect(o).toMatchObject({ statusCode: 200, errorCode: null, completed: true, stream: false, modelServed: "gpt-4o-mini-cached-reasoning-2025-01-01" });
      expect(o.ttfbMs).toBeGreaterThan(0);
      expect(o.latencyMs).toBeGreaterThanOrEqual(o.ttfbMs!);
    });

    it("OpenRouter: its own cost wins, model ids with slashes go through whole", async () => {
      const n = hub.outcomes.length;
      await openai().chat.completions.create({ model: "openrouter/meta-llama/llama-3.1-8b-instruct", ...ask });
      expect(lastRecord().inference?.model).toBe("meta-llama/llama-3.1-8b-instruct");
      const o = await hub.outcomeAfter(n);
      expect(o.providerCostUsd).toBeGreaterThan(0);
      expect(reported(o)).toEqual(lastRecord().inference!.usage);
    });

    it("stream without stream_options: the hub asks for usage upstream, and the client gets no usage at all", async () => {
      const n = hub.outcomes.length;
      const s = await openai().chat.completions.create({ model: "openai/gpt-4o-mini", stream: true, ...ask });
      const chunks = [];
      for await (const c of s) chunks.push(c);
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe(REPLY);
      expect(chunks.every((c) => !("usage" in c) && c.choices.length === 1)).toBe(true);
      expect(lastRecord().inference).toMatchObject({ includeUsage: true, usageSent: true, completed: true });
      const o = await hub.outcomeAfter(n);
      expect(reported(o)).toEqual(lastRecord().inference!.usage);
      expect(o).toMatchObject({ stream: true, completed: true, errorCode: null, modelServed: "gpt-4o-mini-2025-01-01" });
    });

    it("stream with include_usage: the client gets the usage chunk, as it asked", async () => {
      const s = await openai().chat.completions.create({ model: "groq/llama-3.1-8b", stream: true, stream_options: { include_usage: true }, ...ask });
      const chunks = [];
      for await (const c of s) chunks.push(c);
      expect(chunks.at(-1)?.choices).toEqual([]);
      expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 8, completion_tokens: 5 });
    });

    it("OpenRouter sends usage unasked: a client that did not ask does not get it, the record does", async () => {
      const n = hub.outcomes.length;
      const s = await openai().chat.completions.create({ model: "openrouter/x/y", stream: true, ...ask });
      const chunks = [];
      for await (const c of s) chunks.push(c);
      expect(chunks.every((c) => !c.usage && c.choices.length === 1)).toBe(true);
      const o = await hub.outcomeAfter(n);
      expect(o.providerCostUsd).toBeGreaterThan(0);
      expect(o.inputTokens).toBe(8);
    });

    it("Cohere: stream_options is not added (its compatibility API refuses it); usage is whatever the stream carries", async () => {
      const n = hub.outcomes.length;
      const s = await openai().chat.completions.create({ model: "cohere/command-a", stream: true, ...ask });
      for await (const _ of s) void _;
      expect(lastRecord().inference).toMatchObject({ includeUsage: false, completed: true });
      expect(lastRecord().provider).toBe("cohere");
      const o = await hub.outcomeAfter(n);
      expect(o).toMatchObject({ completed: true, inputTokens: null, outputTokens: null });
    });

    it("drip: chunks reach the SDK as the fake writes them, not all at the end", async () => {
      const started = performance.now();
      const s = await openai().chat.completions.create({ model: "together/fake-drip-8x40", stream: true, ...ask });
      const arrivals: number[] = [];
      for await (const c of s) if (c.choices[0]?.delta.content) arrivals.push(performance.now() - started);
      expect(arrivals).toHaveLength(8);
      expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(7 * 40 * 0.8);
      const written = lastRecord().inference!.chunkTimes;
      // each chunk reached the client about as long after the fake wrote it as the others did (held
      // back and sent together, the last ones would lag the first ones by up to 280 ms)
      const lag = arrivals.map((a, i) => a - written[i]!);
      expect(Math.max(...lag) - Math.min(...lag)).toBeLessThan(100);
    });

    it("embeddings", async () => {
      const n = hub.outcomes.length;
      const e = await openai().embeddings.create({ model: "mistral/mistral-embed", input: ["first text here", "second"] });
      expect(e.data).toHaveLength(2);
      expect(e.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
      expect(lastRecord()).toMatchObject({ path: "/mistral/v1/embeddings", inference: { model: "mistral-embed" } });
      const o = await hub.outcomeAfter(n);
      expect(o).toMatchObject({ inputTokens: 4, outputTokens: 0, completed: true, modelServed: "mistral-embed" });
    });

    it("provider errors pass through with their status, headers and body; the record says upstream_error", async () => {
      const n = hub.outcomes.length;
      const err = await openai().chat.completions.create({ model: "openai/gpt-fail-429", ...ask }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.RateLimitError);
      const headers = (err as InstanceType<typeof OpenAI.RateLimitError>).headers;
      expect(headers.get("retry-after")).toBe("7");
      expect(headers.get("x-ratelimit-remaining-requests")).toBe("0");
      expect(headers.get("x-llmhub-request-id")).toMatch(/^req-/);
      expect(await hub.outcomeAfter(n)).toMatchObject({ statusCode: 429, errorCode: "upstream_error", completed: true });
    });

    it("the hub's own errors in the OpenAI shape raise the SDK's classes", async () => {
      const err = await openai("llmhub_wrong").chat.completions.create({ model: "openai/x", ...ask }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(err).toMatchObject({ status: 401, code: "invalid_hub_key", type: "authentication_error" });
      await expect(openai().chat.completions.create({ model: "gpt-4o", ...ask })).rejects.toMatchObject({ status: 404, code: "unknown_model" });
    });
  });

  describe("native routes with each provider's own SDK", () => {
    const anthropic = () => new Anthropic({ apiKey: hub.hubKey, baseURL: hub.nativeBase("anthropic"), maxRetries: 0 });
    const gemini = () => new GoogleGenAI({ apiKey: hub.hubKey, httpOptions: { baseUrl: hub.nativeBase("google"), apiVersion: "v1beta" } });
    const messages = [{ role: "user" as const, content: "Say hello to the whole team please" }];
    const contents = "Tell me something nice today";

    it("Anthropic messages.create: the provider's key in x-api-key, the SDK's anthropic-version kept, usage recorded", async () => {
      const n = hub.outcomes.length;
      const m = await anthropic().messages.create({ model: "claude-fake-cached", max_tokens: 100, system: "Be kind.", messages });
      expect(m.content).toEqual([{ type: "text", text: REPLY }]);
      const r = lastRecord();
      expect(r).toMatchObject({ path: "/anthropic/v1/messages", expectedAuthPresent: true, keyLength: providerKey("anthropic").length });
      expect(r.headers["authorization"]).toBeUndefined(); // the SDK's bearer (the hub key) is gone
      expect(r.headers["anthropic-version"]).toBe("2026-10-21");
      const o = await hub.outcomeAfter(n);
      expect(reported(o)).toEqual(r.inference!.usage);
      expect(o).toMatchObject({ modelServed: "claude-fake-cached", completed: true, stream: false });
    });

    it("Anthropic stream: events arrive, message_delta's cumulative usage is what is recorded", async () => {
      const n = hub.outcomes.length;
      const final = await anthropic().messages.stream({ model: "claude-fake-reasoning", max_tokens: 100, messages }).finalMessage();
      expect(final.usage).toMatchObject({ input_tokens: 7, output_tokens: 15 });
      const o = await hub.outcomeAfter(n);
      expect(reported(o)).toEqual(lastRecord().inference!.usage);
      expect(o).toMatchObject({ stream: true, completed: true });
    });

    it("Gemini generateContent and its SSE stream", async () => {
      const n = hub.outcomes.length;
      const r = await gemini().models.generateContent({ model: "gemini-fake-cached-reasoning", contents });
      expect(r.text).toBe(REPLY);
      expect(lastRecord()).toMatchObject({ path: "/google/v1beta/models/gemini-fake-cached-reasoning:generateContent", keyInUrl: false, expectedAuthPresent: true });
      expect(reported(await hub.outcomeAfter(n))).toEqual(lastRecord().inference!.usage);

      const s = await gemini().models.generateContentStream({ model: "gemini-drip-4x30", contents });
      const texts: string[] = [];
      for await (const c of s) texts.push(c.text ?? "");
      expect(texts.join("")).toBe("Hello from the fake provider.".split(" ").slice(0, 4).join(" "));
      expect(lastRecord().query).toBe("?alt=sse");
      const o = await hub.outcomeAfter(n + 1);
      expect(reported(o)).toEqual(lastRecord().inference!.usage);
      expect(o).toMatchObject({ stream: true, modelServed: "gemini-drip-4x30" });
    });

    it("Gemini's array stream (no alt=sse) and ?key= in the query: the key is dropped, usage still read", async () => {
      const n = hub.outcomes.length;
      const res = await fetch(`${hub.nativeBase("google")}/v1beta/models/gemini-fake:streamGenerateContent?key=AIzaClientSideKey`, {
        method: "POST",
        headers: { "x-goog-api-key": hub.hubKey, "content-type": "application/json" },
        body: JSON.stringify({ contents: [{ parts: [{ text: "hi there" }] }] }),
      });
      expect(res.status).toBe(200);
      expect((await res.json()) as unknown[]).toHaveLength(5);
      expect(lastRecord()).toMatchObject({ query: "", keyInUrl: false, expectedAuthPresent: true });
      const o = await hub.outcomeAfter(n);
      expect(reported(o)).toEqual(lastRecord().inference!.usage);
      expect(o.stream).toBe(true);
    });

    it("the OpenAI SDK on a native route gets the same usage handling as the compatible endpoint", async () => {
      const n = hub.outcomes.length;
      const client = new OpenAI({ apiKey: hub.hubKey, baseURL: hub.nativeBase("openai"), maxRetries: 0 });
      const s = await client.chat.completions.create({ model: "gpt-4o-mini", stream: true, ...ask });
      const chunks = [];
      for await (const c of s) chunks.push(c);
      expect(chunks.every((c) => !("usage" in c))).toBe(true);
      expect(lastRecord().inference).toMatchObject({ includeUsage: true, model: "gpt-4o-mini" });
      expect(reported(await hub.outcomeAfter(n))).toEqual(lastRecord().inference!.usage);
    });
  });
});
