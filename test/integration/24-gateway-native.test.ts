// Native routes for every provider type (gateway.md section 2): each provider's official SDK (or
// the OpenAI SDK, for the providers whose own API is OpenAI-compatible) works with only its base
// URL and key changed to the hub's.
import { GoogleGenAI } from "@google/genai";
import OpenAI from "openai";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { type Client, signedIn } from "../support/client";
import { admin } from "../support/context";
import { ensureProviderKey, issueHubKey, nativeBase, saveCustomEndpoint, useEnvironmentKey } from "../support/gateway";
import { findLeak } from "../support/keys";

let c: Client;
let hubKey = "";

beforeAll(async () => {
  c = await signedIn(admin("gateway-native"));
  for (const type of ["openai", "anthropic", "google", "cohere", "groq", "together", "openrouter"] as const) await ensureProviderKey(c, type);
  await useEnvironmentKey(c, "mistral");
  await saveCustomEndpoint(c, "Native Box", inject("fakeBaseUrls").custom!);
  hubKey = (await issueHubKey(c, { name: "native" })).key;
});

describe("Google's Gen AI SDK on /native/google", () => {
  const genai = () => new GoogleGenAI({ apiKey: hubKey, httpOptions: { baseUrl: nativeBase("google"), apiVersion: "v1beta" } });

  it("generateContent", async () => {
    const r = await genai().models.generateContent({ model: "gemini-2.0-flash", contents: "Say hello" });
    expect(r.text).toBeTruthy();
    expect(r.usageMetadata?.promptTokenCount).toBeGreaterThan(0);
  });

  it("generateContentStream arrives as it is written", async () => {
    const t0 = performance.now();
    const arrivals: number[] = [];
    for await (const chunk of await genai().models.generateContentStream({ model: "gemini-drip-6x100", contents: "count" })) if (chunk.text) arrivals.push(performance.now() - t0);
    expect(arrivals).toHaveLength(6);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(350);
  });

  it("a key patterns check reads the model from the path", async () => {
    const narrow = await issueHubKey(c, { name: "gemini-flash-only", allowed: ["google/gemini-*-flash"] });
    const sdk = new GoogleGenAI({ apiKey: narrow.key, httpOptions: { baseUrl: nativeBase("google"), apiVersion: "v1beta" } });
    expect((await sdk.models.generateContent({ model: "gemini-2.0-flash", contents: "hi" })).text).toBeTruthy();
    const refused = await sdk.models.generateContent({ model: "gemini-2.5-pro", contents: "hi" }).catch((e: unknown) => e as Error);
    expect((refused as { status?: number }).status).toBe(403);
  });
});

describe("OpenAI-compatible native APIs, with the OpenAI SDK at each provider's own base", () => {
  // [route, the path under /native/{route} that the provider's own docs give as the OpenAI SDK's base]
  const bases: [string, string][] = [
    ["openai", ""],
    ["anthropic", "/v1"],
    ["groq", "/openai/v1"],
    ["groq", ""],
    ["together", "/v1"],
    ["mistral", "/v1"],
    ["openrouter", "/api/v1"],
    ["google", "/v1beta/openai"],
    ["cohere", "/compatibility/v1"],
    ["native-box", ""],
  ];
  it.each(bases)("%s%s: chat, non-streamed and streamed", async (route, tail) => {
    const sdk = new OpenAI({ apiKey: hubKey, baseURL: nativeBase(route) + tail, maxRetries: 0 });
    const r = await sdk.chat.completions.create({ model: "some-model", messages: [{ role: "user", content: "hi" }] });
    expect(r.choices[0]!.message.content).toBeTruthy();
    let text = "";
    for await (const chunk of await sdk.chat.completions.create({ model: "some-model", messages: [{ role: "user", content: "hi" }], stream: true })) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toBeTruthy();
  });

  it("the query string travels without any key= parameter, and the hub key never reaches the provider", async () => {
    const res = await fetch(`${nativeBase("openai")}/models?limit=3&key=${hubKey}`, { headers: { authorization: `Bearer ${hubKey}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(findLeak(text)).toBeNull();
    expect(text).not.toContain(hubKey);
  });

  it("a path that climbs out of the provider's base is refused", async () => {
    // (a client's URL parser removes plain and %2e dot segments itself; one behind an encoded slash reaches the hub)
    const res = await fetch(`${nativeBase("openai")}/models/..%2F..%2Fadmin`, { headers: { authorization: `Bearer ${hubKey}` } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("invalid_request");
  });
});
