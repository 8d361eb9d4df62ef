// The official Anthropic SDK, unmodified, against the fake's native Messages API.
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeProvider, type FakeProvider } from "./server";

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake.close());

// The SDK appends /v1/messages to its base URL; the fake's Anthropic base is {origin}/anthropic/v1.
const client = (apiKey = "sk-ant-api03-fake0123456789") => new Anthropic({ apiKey, baseURL: fake.baseUrls.anthropic.replace(/\/v1$/, ""), maxRetries: 0 });
const lastInference = () => fake.requests.at(-1)?.inference;
const messages = [{ role: "user" as const, content: "Say hello to the whole team please" }];

describe("Anthropic Messages through the Anthropic SDK", () => {
  it("create: the message, its usage, and the record", async () => {
    const m = await client().messages.create({ model: "claude-fake-cached", max_tokens: 100, system: "Be kind.", messages });
    expect(m.content).toEqual([{ type: "text", text: "Hello from the fake provider." }]);
    expect(m.stop_reason).toBe("end_turn");
    // 9 prompt words, half of them read from the cache: Anthropic's input_tokens leaves those out.
    expect(m.usage).toMatchObject({ input_tokens: 5, cache_read_input_tokens: 4, cache_creation_input_tokens: 0, output_tokens: 5 });
    expect(fake.requests.at(-1)).toMatchObject({ provider: "anthropic", path: "/anthropic/v1/messages", expectedAuthPresent: true });
    expect(lastInference()).toMatchObject({ endpoint: "messages", status: 200, usage: { inputTokens: 9, outputTokens: 5, cachedTokens: 4 } });
  });

  it("stream: the real event sequence, cumulative usage in message_delta", async () => {
    const s = await client().messages.create({ model: "claude-fake", max_tokens: 3, messages, stream: true });
    const events: Anthropic.MessageStreamEvent[] = [];
    for await (const e of s) events.push(e);
    expect(events.map((e) => e.type)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]); // the SDK drops the ping the fake sends after content_block_start
    const start = events[0] as Anthropic.RawMessageStartEvent;
    expect(start.message.usage).toMatchObject({ input_tokens: 7, output_tokens: 1 });
    const delta = events[6] as Anthropic.RawMessageDeltaEvent;
    expect(delta.delta.stop_reason).toBe("max_tokens");
    expect(delta.usage).toMatchObject({ input_tokens: 7, output_tokens: 3 });
    expect(lastInference()).toMatchObject({ stream: true, completed: true, usageSent: true, chunkTimes: expect.any(Array) });
  });

  it("messages.stream() assembles the final message, thinking tokens counted in output_tokens", async () => {
    const final = await client().messages.stream({ model: "claude-fake-reasoning", max_tokens: 100, messages }).finalMessage();
    expect(final.content).toEqual([{ type: "text", text: "Hello from the fake provider." }]);
    expect(final.usage).toMatchObject({ input_tokens: 7, output_tokens: 15 });
  });

  it("drip: the deltas arrive spread out", async () => {
    const started = performance.now();
    const s = await client().messages.create({ model: "claude-drip-6x40", max_tokens: 100, messages, stream: true });
    const arrivals: number[] = [];
    for await (const e of s) if (e.type === "content_block_delta") arrivals.push(performance.now() - started);
    expect(arrivals).toHaveLength(6);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(5 * 40 * 0.8);
  });

  it("errors in Anthropic's shape raise the SDK's classes", async () => {
    const limited = await client().messages.create({ model: "claude-fail-429", max_tokens: 10, messages }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect((limited as InstanceType<typeof Anthropic.RateLimitError>).headers?.get("anthropic-ratelimit-requests-remaining")).toBe("0");
    await expect(client().messages.create({ model: "claude-fail-529", max_tokens: 10, messages })).rejects.toMatchObject({ status: 529, type: "overloaded_error" });

    const key = "sk-ant-api03-echo-SECRET-0123456789";
    const echoed = await client(key).messages.create({ model: "claude-echo-key", max_tokens: 10, messages }).catch((e: unknown) => e);
    expect(echoed).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((echoed as Error).message).toContain(key);
    expect((echoed as InstanceType<typeof Anthropic.AuthenticationError>).requestID).toBe(key);

    await expect(client().messages.create({ model: "claude-fake", messages } as unknown as Anthropic.MessageCreateParamsNonStreaming)).rejects.toMatchObject({
      status: 400,
      type: "invalid_request_error",
    });
  });

  it("takes the key from x-api-key as well as from the SDK's bearer token", async () => {
    const res = await fetch(`${fake.baseUrls.anthropic}/messages`, {
      method: "POST",
      headers: { "x-api-key": "sk-ant-api03-header", "anthropic-version": "2023-06-01", "content-type": "application/json" },
      body: JSON.stringify({ model: "claude-fake", max_tokens: 5, messages }),
    });
    expect(res.status).toBe(200);
    const none = await fetch(`${fake.baseUrls.anthropic}/messages`, {
      method: "POST",
      headers: { "anthropic-version": "2023-06-01", "content-type": "application/json" },
      body: JSON.stringify({ model: "claude-fake", max_tokens: 5, messages }),
    });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
  });
});
