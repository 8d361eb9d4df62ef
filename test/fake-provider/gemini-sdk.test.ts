// Google's official Gen AI SDK, unmodified, against the fake's native Gemini API.
import { ApiError, GoogleGenAI } from "@google/genai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeProvider, type FakeProvider } from "./server";

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake.close());

// The SDK builds {baseUrl}/{apiVersion}/models/…; the fake's Google base is {origin}/google/v1beta.
const client = (apiKey = "AIzaFakeKey0123456789") =>
  new GoogleGenAI({ apiKey, httpOptions: { baseUrl: fake.baseUrls.google.replace(/\/v1beta$/, ""), apiVersion: "v1beta" } });
const lastRequest = () => fake.requests.at(-1)!;
const contents = "Tell me something nice today";

describe("Gemini generateContent through the Gen AI SDK", () => {
  it("generateContent: text and usageMetadata", async () => {
    const r = await client().models.generateContent({ model: "gemini-fake-cached-reasoning", contents });
    expect(r.text).toBe("Hello from the fake provider.");
    expect(r.candidates?.[0]?.finishReason).toBe("STOP");
    // Thoughts are counted beside the candidates, not in them; cached tokens are part of the prompt.
    expect(r.usageMetadata).toMatchObject({ promptTokenCount: 5, candidatesTokenCount: 5, thoughtsTokenCount: 10, cachedContentTokenCount: 2, totalTokenCount: 20 });
    expect(lastRequest()).toMatchObject({ provider: "google", path: "/google/v1beta/models/gemini-fake-cached-reasoning:generateContent", expectedAuthPresent: true, keyInUrl: false });
    expect(lastRequest().inference).toMatchObject({ endpoint: "generateContent", usage: { inputTokens: 5, outputTokens: 15, cachedTokens: 2, reasoningTokens: 10 } });
  });

  it("generateContentStream: SSE chunks, growing usage, the finish reason last", async () => {
    const s = await client().models.generateContentStream({ model: "gemini-fake", contents, config: { maxOutputTokens: 4 } });
    const chunks = [];
    for await (const c of s) chunks.push(c);
    expect(chunks.map((c) => c.text).join("")).toBe("Hello from the fake");
    expect(chunks.map((c) => c.usageMetadata?.candidatesTokenCount)).toEqual([1, 2, 3, 4]);
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe("MAX_TOKENS");
    expect(lastRequest().query).toBe("?alt=sse");
    expect(lastRequest().inference).toMatchObject({ endpoint: "streamGenerateContent", stream: true, completed: true, usage: { outputTokens: 4 } });
  });

  it("drip: chunks arrive spread out", async () => {
    const started = performance.now();
    const s = await client().models.generateContentStream({ model: "gemini-drip-6x40", contents });
    const arrivals: number[] = [];
    for await (const c of s) if (c.text) arrivals.push(performance.now() - started);
    expect(arrivals).toHaveLength(6);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(5 * 40 * 0.8);
  });

  it("errors come back in Google's shape as the SDK's ApiError", async () => {
    const limited = await client().models.generateContent({ model: "gemini-fail-429", contents }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(ApiError);
    expect((limited as ApiError).status).toBe(429);
    expect(JSON.parse((limited as ApiError).message)).toMatchObject({ error: { status: "RESOURCE_EXHAUSTED" } });
    const key = "AIzaEchoSECRET0123456789";
    const echoed = await client(key).models.generateContent({ model: "gemini-echo-key", contents }).catch((e: unknown) => e);
    expect((echoed as ApiError).status).toBe(400);
    expect((echoed as ApiError).message).toContain(key);
  });

  it("also takes the key from ?key=, as Google does, and the record says it travelled in the URL", async () => {
    const url = `${fake.baseUrls.google}/models/gemini-fake:generateContent?key=AIzaInTheUrl0123`;
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ contents: [{ parts: [{ text: "hi" }] }] }) });
    expect(res.status).toBe(200);
    expect(lastRequest()).toMatchObject({ keyInUrl: true, expectedAuthPresent: false });
    // Without alt=sse the stream is one JSON array, written element by element.
    const arr = await fetch(`${fake.baseUrls.google}/models/gemini-fake:streamGenerateContent`, {
      method: "POST",
      headers: { "x-goog-api-key": "AIzaFake", "content-type": "application/json" },
      body: JSON.stringify({ contents: [{ parts: [{ text: "hi" }] }] }),
    });
    const list = (await arr.json()) as unknown[];
    expect(list).toHaveLength(5);
  });

  it("refuses two credentials, and a request without contents", async () => {
    const two = await fetch(`${fake.baseUrls.google}/models/gemini-fake:generateContent?key=AIzaSecond`, {
      method: "POST",
      headers: { "x-goog-api-key": "AIzaFirst", "content-type": "application/json" },
      body: JSON.stringify({ contents: [{ parts: [{ text: "hi" }] }] }),
    });
    expect(two.status).toBe(400);
    expect(await two.json()).toMatchObject({ error: { status: "INVALID_ARGUMENT", message: expect.stringContaining("Multiple authentication credentials") } });
    // (The SDK refuses empty contents itself, so this one goes without it.)
    const empty = await fetch(`${fake.baseUrls.google}/models/gemini-fake:generateContent`, {
      method: "POST",
      headers: { "x-goog-api-key": "AIzaFirst", "content-type": "application/json" },
      body: JSON.stringify({ contents: [] }),
    });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: { code: 400, status: "INVALID_ARGUMENT" } });
  });
});
