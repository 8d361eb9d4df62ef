// The official OpenAI SDK, unmodified, against every provider's OpenAI-compatible API on the fake.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDER_TYPES, type ProviderType } from "../../lib/providers/catalogue";
import { fakeEmbedding } from "./openai-compat";
import { startFakeProvider, type FakeProvider, type RecordedRequest } from "./server";

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake.close());

const client = (p: ProviderType, apiKey = `key-for-${p}-0123456789`) => new OpenAI({ apiKey, baseURL: fake.compatBaseUrls[p], maxRetries: 0 });
const lastRecord = (): RecordedRequest => fake.requests.at(-1)!;
const ask = { messages: [{ role: "system" as const, content: "Be brief." }, { role: "user" as const, content: "What is the capital of France?" }] };
const PROMPT_WORDS = 8;
const REPLY = "Hello from the fake provider.";

describe("chat completions through the OpenAI SDK", () => {
  it.each(PROVIDER_TYPES)("%s: answer, usage and what the fake recorded", async (p) => {
    const c = await client(p).chat.completions.create({ model: "some-model", ...ask });
    expect(c.choices[0]?.message.content).toBe(REPLY);
    expect(c.choices[0]?.finish_reason).toBe("stop");
    expect(c.usage).toMatchObject({ prompt_tokens: PROMPT_WORDS, completion_tokens: 5, total_tokens: PROMPT_WORDS + 5 });
    const r = lastRecord();
    expect(r).toMatchObject({ provider: p, method: "POST", expectedAuthPresent: true, keyInUrl: false });
    expect(r.path).toBe(new URL(`${fake.compatBaseUrls[p]}/chat/completions`).pathname);
    expect(r.inference).toMatchObject({ endpoint: "chat", model: "some-model", stream: false, status: 200, completed: true, aborted: false, usageSent: true });
    expect(r.inference?.usage).toMatchObject({ inputTokens: PROMPT_WORDS, outputTokens: 5 });
  });

  it("reports cached and reasoning tokens where the provider has the fields, and OpenRouter's cost", async () => {
    const o = await client("openai").chat.completions.create({ model: "o-fake-cached-reasoning", ...ask });
    expect(o.model).toBe("o-fake-cached-reasoning-2025-01-01");
    expect(o.usage).toMatchObject({ prompt_tokens: 8, completion_tokens: 15, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 10 } });
    expect(lastRecord().inference?.usage).toEqual({ inputTokens: 8, outputTokens: 15, cachedTokens: 4, reasoningTokens: 10, costUsd: null });

    const or = await client("openrouter").chat.completions.create({ model: "meta-llama/llama-3.1-8b-instruct", ...ask });
    const cost = (or.usage as unknown as { cost: number }).cost;
    expect(cost).toBeCloseTo((8 + 2 * 5) / 1e6, 12);
    expect(lastRecord().inference?.usage?.costUsd).toBe(cost);

    await client("mistral").chat.completions.create({ model: "mistral-small-cached", ...ask });
    expect(lastRecord().inference?.usage).toMatchObject({ cachedTokens: null, reasoningTokens: null });
  });

  it("caps the reply at max_tokens with finish_reason length", async () => {
    const c = await client("groq").chat.completions.create({ model: "llama-words-40", max_tokens: 3, ...ask });
    expect(c.choices[0]).toMatchObject({ finish_reason: "length", message: { content: "Hello from the" } });
    expect(c.usage?.completion_tokens).toBe(3);
  });
});

describe("streamed chat completions through the OpenAI SDK", () => {
  it("sends the usage chunk (empty choices) only when stream_options.include_usage asks for it", async () => {
    const read = async (includeUsage: boolean) => {
      const s = await client("openai").chat.completions.create({ model: "gpt-4o-mini", stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}), ...ask });
      const chunks = [];
      for await (const c of s) chunks.push(c);
      return chunks;
    };
    const without = await read(false);
    expect(without.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe(REPLY);
    expect(without.every((c) => !("usage" in c) && c.choices.length === 1)).toBe(true);
    expect(lastRecord().inference).toMatchObject({ stream: true, includeUsage: false, usageSent: false, completed: true });

    const withUsage = await read(true);
    const last = withUsage.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 8, completion_tokens: 5, total_tokens: 13 });
    expect(withUsage.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(lastRecord().inference).toMatchObject({ includeUsage: true, usageSent: true, usage: { inputTokens: 8, outputTokens: 5 } });
  });

  it("OpenRouter always ends its stream with usage and cost; Groq puts usage in x_groq", async () => {
    const s = await client("openrouter").chat.completions.create({ model: "x/y", stream: true, ...ask });
    const chunks = [];
    for await (const c of s) chunks.push(c);
    expect((chunks.at(-1)?.usage as unknown as { cost: number }).cost).toBeGreaterThan(0);

    const g = await client("groq").chat.completions.create({ model: "llama", stream: true, ...ask });
    let groqUsage: unknown;
    for await (const c of g) groqUsage ??= (c as unknown as { x_groq?: { usage?: unknown } }).x_groq?.usage;
    expect(groqUsage).toMatchObject({ prompt_tokens: 8, completion_tokens: 5 });
  });

  it("drip mode: chunks reach the SDK spread over time, not all at the end", async () => {
    const started = performance.now();
    const s = await client("together").chat.completions.create({ model: "fake-drip-8x40", stream: true, ...ask });
    const arrivals: number[] = [];
    for await (const c of s) if (c.choices[0]?.delta.content) arrivals.push(performance.now() - started);
    expect(arrivals).toHaveLength(8);
    const first = arrivals[0]!;
    const last = arrivals.at(-1)!;
    expect(last - first).toBeGreaterThanOrEqual(7 * 40 * 0.8);
    expect(first).toBeLessThan(last - 200); // the first word came long before the stream ended
    const written = lastRecord().inference!.chunkTimes;
    expect(written).toHaveLength(8);
    for (let i = 1; i < written.length; i++) expect(written[i]! - written[i - 1]!).toBeGreaterThanOrEqual(35);
  });
});

describe("embeddings and model lists through the OpenAI SDK", () => {
  it.each(["openai", "together", "mistral", "custom", "google", "cohere"] as const)("%s: embeddings decode and report usage", async (p) => {
    const e = await client(p).embeddings.create({ model: "embed-model", input: ["first text here", "second"] });
    expect(e.data).toHaveLength(2);
    expect(e.data[0]?.embedding).toEqual(fakeEmbedding("first text here", 8));
    expect(e.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
    expect(lastRecord().inference).toMatchObject({ endpoint: "embeddings", usage: { inputTokens: 4, outputTokens: 0 } });
    const floats = await client(p).embeddings.create({ model: "embed-model", input: "first text here", encoding_format: "float", dimensions: 3 });
    expect(floats.data[0]?.embedding).toEqual(fakeEmbedding("first text here", 3));
  });

  it("providers without embeddings answer 404 in their own shape", async () => {
    await expect(client("groq").embeddings.create({ model: "m", input: "x" })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    expect(lastRecord()).toMatchObject({ provider: "groq", inference: { endpoint: "embeddings", status: 404, usage: null } });
  });

  it("lists the chat models", async () => {
    const openai = await client("openai").models.list();
    expect(openai.data.map((m) => m.id)).toContain("gpt-fake-0");
    const google = await client("google").models.list();
    expect(google.data[0]).toMatchObject({ id: "models/gemini-fake-0", object: "model" });
  });
});

describe("errors surface as the SDK's error classes", () => {
  it("429 with retry-after and rate-limit headers, 500, 503", async () => {
    const err = await client("openai").chat.completions.create({ model: "gpt-fail-429", ...ask }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const headers = (err as InstanceType<typeof OpenAI.RateLimitError>).headers;
    expect(headers.get("retry-after")).toBe("7");
    expect(headers.get("x-ratelimit-remaining-requests")).toBe("0");
    await expect(client("mistral").chat.completions.create({ model: "m-fail-500", ...ask })).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    await expect(client("cohere").chat.completions.create({ model: "c-fail-503", ...ask })).rejects.toMatchObject({ status: 503 });
    expect(lastRecord().inference).toMatchObject({ status: 503, usage: null, completed: true });
  });

  it("echo-key: the whole key comes back in the message and the request-id header", async () => {
    const key = "sk-proj-echo0123456789abcdefSECRET";
    const err = await client("openai", key).chat.completions.create({ model: "gpt-echo-key", ...ask }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((err as Error).message).toContain(key);
    expect((err as InstanceType<typeof OpenAI.AuthenticationError>).headers.get("x-request-id")).toBe(key);
    // Gemini's compatible API wraps Google's error in an array: the SDK raises by status but finds
    // no `error` in it (its message says "no body"); the key is in the body all the same.
    await expect(client("google", key).chat.completions.create({ model: "gemini-echo-key", ...ask })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    const res = await fetch(`${fake.compatBaseUrls.google}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gemini-echo-key", ...ask }),
    });
    const body = (await res.json()) as [{ error: { message: string; status: string } }];
    expect(body[0].error).toMatchObject({ status: "INVALID_ARGUMENT", message: expect.stringContaining(key) });
  });

  it("the key conventions of the key-test routes hold: a revoked or invalid key is refused", async () => {
    await expect(client("openai", "sk-invalid-0123456789").chat.completions.create({ model: "m", ...ask })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await fetch(`${fake.url}/__fake/revoke?marker=revoke-me`, { method: "POST" });
    try {
      await expect(client("together", "tgp_revoke-me_0123456789").chat.completions.create({ model: "m", ...ask })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    } finally {
      await fetch(`${fake.url}/__fake/restore?marker=revoke-me`, { method: "POST" });
    }
  });
});
