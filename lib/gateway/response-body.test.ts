// The body processor on real answer shapes (the fake provider's generators, which follow each
// provider's documented format), cut into chunks every possible way.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { message, messageStream } from "@/test/fake-provider/anthropic-messages";
import { generateContent, streamGenerateContent } from "@/test/fake-provider/gemini";
import { chatCompletion, chatStream, embeddingsBody } from "@/test/fake-provider/openai-compat";
import type { StreamFrames } from "@/test/fake-provider/respond";
import { counts, replyWords, type FakeUsage } from "@/test/fake-provider/usage";
import type { ProviderType } from "@/lib/providers/catalogue";
import { Redactor } from "./redact";
import { createBodyProcessor, type BodyPlan } from "./response-body";
import type { UsageCounts } from "./usage";

const KEY = "sk-proj-body-SECRET/0123456789";
const plan = (p: Partial<BodyPlan>): BodyPlan => ({ sse: false, json: true, stripUsageChunk: false, redactor: new Redactor(KEY), ...p });
const frames = (f: StreamFrames) => f.head + f.chunks.join("") + f.tail;

/** Runs `text` through a processor in pieces cut at `cuts`; returns what the client got and the usage. */
function run(p: BodyPlan, text: string, cuts: number[] = []): { out: string; usage: UsageCounts; pieces: Buffer[] } {
  const proc = createBodyProcessor(p);
  const bytes = Buffer.from(text);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const at of [...points, bytes.length]) {
    pieces.push(proc.push(bytes.subarray(from, at)));
    from = at;
  }
  pieces.push(proc.end());
  return { out: Buffer.concat(pieces).toString(), usage: proc.usage(), pieces };
}
const asFake = (u: UsageCounts): FakeUsage => ({ inputTokens: u.inputTokens!, outputTokens: u.outputTokens!, cachedTokens: u.cachedTokens, reasoningTokens: u.reasoningTokens, costUsd: u.providerCostUsd });
const reply = (provider: ProviderType, includeUsage: boolean, model = "m-cached-reasoning") => ({
  provider,
  model,
  id: "chatcmpl-1",
  created: 1,
  words: replyWords(5),
  truncated: false,
  counts: counts(8, 5, { cached: model.includes("cached"), reasoning: model.includes("reasoning") }),
  includeUsage,
});

describe("JSON answers", () => {
  it.each(["openai", "openrouter", "groq", "mistral", "google", "anthropic"] as const)("%s chat: usage and served model, whatever the chunking", (provider) => {
    const c = chatCompletion(reply(provider, false));
    const text = JSON.stringify(c.body);
    for (const cut of [0, 7, Math.floor(text.length / 2), text.length - 3]) {
      const { out, usage } = run(plan({}), text, [cut]);
      expect(out).toBe(text);
      expect(asFake(usage)).toEqual(c.usage);
      expect(usage.modelServed).toBe((c.body as { model: string }).model);
    }
  });

  it("embeddings: input tokens, no output", () => {
    const { usage } = run(plan({}), JSON.stringify(embeddingsBody("embed-1", ["a b c", "d"], 4, 8, false)));
    expect(usage).toMatchObject({ inputTokens: 4, outputTokens: 0, modelServed: "embed-1" });
  });

  it("a body too large to parse whole still yields its usage (read from its end)", () => {
    const big = JSON.stringify(embeddingsBody("embed-big", Array.from({ length: 400 }, (_, i) => `text ${i}`), 800, 512, false));
    expect(big.length).toBeGreaterThan(1024 * 1024);
    expect(run(plan({}), big, [1000, 300_000, 700_000]).usage).toMatchObject({ inputTokens: 800, outputTokens: 0, modelServed: "embed-big" });
  });

  it("Anthropic message and Gemini generateContent", () => {
    const m = message({ model: "claude-x", id: "msg_1", words: replyWords(5), truncated: false, counts: counts(9, 5, { cached: true, reasoning: true }) });
    const a = run(plan({}), JSON.stringify(m.body)).usage;
    expect(asFake(a)).toEqual(m.usage);
    expect(a.modelServed).toBe("claude-x");
    const g = generateContent({ model: "gemini-x", id: "r1", words: replyWords(5), truncated: false, counts: counts(5, 5, { cached: true, reasoning: true }) });
    const gu = run(plan({}), JSON.stringify(g.body)).usage;
    expect(asFake(gu)).toEqual(g.usage);
    expect(gu.modelServed).toBe("gemini-x");
  });

  it("Gemini's streamed JSON array: the last element's counts", () => {
    const s = streamGenerateContent({ model: "gemini-x", id: "r1", words: replyWords(4), truncated: true, counts: counts(5, 4, { cached: false, reasoning: false }) }, false);
    expect(asFake(run(plan({}), frames(s.frames), [1, 50, 200]).usage)).toEqual(s.usage);
  });

  it("not JSON, or cut short: no usage, bytes unchanged", () => {
    expect(run(plan({}), "<html>502</html>").usage.inputTokens).toBeNull();
    expect(run(plan({}), '{"usage":{"prompt_tokens":3').usage.inputTokens).toBeNull();
    expect(run(plan({ json: false }), '{"usage":{"prompt_tokens":3,"completion_tokens":1}}').usage.inputTokens).toBeNull();
  });

  it("redacts the key wherever the chunks fall", () => {
    const text = JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}`, key: KEY } });
    for (let cut = 0; cut <= text.length; cut++) {
      const { out } = run(plan({}), text, [cut]);
      expect(out).not.toContain("SECRET");
      expect(JSON.parse(out).error.key).toBe("[redacted]");
    }
  });
});

describe("OpenAI-compatible streams", () => {
  it("the client asked for usage: the stream passes byte for byte, usage is read from its last chunk", () => {
    const s = chatStream(reply("openai", true));
    const text = frames(s.frames);
    const { out, usage } = run(plan({ sse: true, json: false }), text, [10, 100, 333]);
    expect(out).toBe(text);
    expect(asFake(usage)).toEqual(s.usage);
  });

  it("the hub asked for usage: the usage chunk and every `usage: null` are gone, the rest is untouched", () => {
    const asked = chatStream(reply("openai", true));
    const unasked = frames(chatStream(reply("openai", false)).frames);
    const { out, usage } = run(plan({ sse: true, json: false, stripUsageChunk: true }), frames(asked.frames));
    expect(out).toBe(unasked); // exactly what the provider sends a client that did not ask
    expect(asFake(usage)).toEqual(asked.usage);
  });

  it("same under any chunking, CRLF line ends, and with OpenRouter's keep-alive comment and cost", () => {
    const asked = chatStream(reply("openrouter", true, "x/y"));
    const expected = frames(chatStream(reply("openrouter", false, "x/y")).frames).replace(/data: \{[^\n]*"choices":\[\][^\n]*\n\n/, "");
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), (cuts, crlf) => {
        const text = crlf ? frames(asked.frames).replace(/\n/g, "\r\n") : frames(asked.frames);
        const { out, usage } = run(plan({ sse: true, json: false, stripUsageChunk: true }), text, cuts);
        const want = crlf ? expected.replace(/\n/g, "\r\n") : expected;
        return out === want && usage.providerCostUsd === asked.usage.costUsd && usage.inputTokens === 8;
      }),
      { numRuns: 300 },
    );
  });

  it("Groq's x_groq usage counts when no usage chunk comes", () => {
    const s = chatStream(reply("groq", false));
    expect(run(plan({ sse: true, json: false }), frames(s.frames)).usage).toMatchObject({ inputTokens: 8, outputTokens: 15 });
  });

  it("a usage chunk written differently (spaces, usage first) is still found and removed", () => {
    const text = 'data: {"id":"1", "choices":[{"index":0,"delta":{"content":"hi"}}], "usage": null}\n\ndata: {"usage": null, "id":"1","choices":[]}\n\ndata: {"usage":{"prompt_tokens":2,"completion_tokens":1},"choices":[]}\n\ndata: [DONE]\n\n';
    const { out, usage } = run(plan({ sse: true, json: false, stripUsageChunk: true }), text);
    expect(out).toBe('data: {"id":"1", "choices":[{"index":0,"delta":{"content":"hi"}}]}\n\ndata: {"id":"1","choices":[]}\n\ndata: [DONE]\n\n');
    expect(usage).toMatchObject({ inputTokens: 2, outputTokens: 1 });
  });

  it("only the top-level `usage: null` goes: braces and quotes in strings, a nested one, and `usage` as a value stay", () => {
    const strip = (event: string) => run(plan({ sse: true, json: false, stripUsageChunk: true }), `data: ${event}\n\n`).out;
    // strings holding braces, brackets and escaped quotes before it: cut from the bytes as they are
    expect(strip('{"id":"a{[\\"}","choices":[{"delta":{"content":"} ] \\" {"}}],"usage":null}')).toBe('data: {"id":"a{[\\"}","choices":[{"delta":{"content":"} ] \\" {"}}]}\n\n');
    // a `usage: null` inside a choice is the provider's and stays; the top-level one (first, no comma before it) goes
    expect(strip('{"usage":null,"choices":[{"delta":{"content":"hi"},"usage":null}]}')).toBe('data: {"choices":[{"delta":{"content":"hi"},"usage":null}]}\n\n');
    // "usage" as a value elsewhere: the top-level key still goes, the value stays
    expect(strip('{"id":"1","choices":[{"delta":{"content":"usage"}}],"usage":null}')).toBe('data: {"id":"1","choices":[{"delta":{"content":"usage"}}]}\n\n');
  });

  it("an event goes out with the chunk that completes it, not later", () => {
    const proc = createBodyProcessor(plan({ sse: true, json: false }));
    expect(proc.push(Buffer.from('data: {"a":')).toString()).toBe("");
    expect(proc.push(Buffer.from('1}\n\ndata: {"b"')).toString()).toBe('data: {"a":1}\n\n');
    expect(proc.push(Buffer.from(":2}\n\n")).toString()).toBe('data: {"b":2}\n\n');
  });

  it("a key in a stream is redacted across chunks, and the event stays valid JSON", () => {
    const text = `data: {"choices":[{"delta":{"content":"your key is ${KEY}"}}]}\n\n`;
    for (let cut = 0; cut <= text.length; cut++) {
      const { out } = run(plan({ sse: true, json: false }), text, [cut]);
      expect(out).not.toContain("SECRET");
      expect(JSON.parse(out.slice(6)).choices[0].delta.content).toBe("your key is [redacted]");
    }
  });

  it("a stream cut short passes what came and counts what it carried, a last event without its blank line too", () => {
    const text = frames(chatStream(reply("openai", true)).frames);
    const midEvent = text.slice(0, text.lastIndexOf("data: [DONE]") + 4);
    expect(run(plan({ sse: true, json: false }), midEvent)).toMatchObject({ out: midEvent, usage: { inputTokens: 8 } });
    const usageLast = text.slice(0, text.lastIndexOf("data: [DONE]") - 1);
    expect(run(plan({ sse: true, json: false }), usageLast)).toMatchObject({ out: usageLast, usage: { inputTokens: 8 } });
    const usageCut = text.slice(0, text.lastIndexOf("data: [DONE]") - 5);
    expect(run(plan({ sse: true, json: false }), usageCut)).toMatchObject({ out: usageCut, usage: { inputTokens: null } });
  });
});

describe("native streams", () => {
  it("Anthropic: message_start's input, message_delta's cumulative output (the last wins)", () => {
    const s = messageStream({ model: "claude-x", id: "msg_1", words: replyWords(5), truncated: false, counts: counts(7, 5, { cached: true, reasoning: true }) });
    const { out, usage } = run(plan({ sse: true, json: false }), frames(s.frames), [40, 400]);
    expect(out).toBe(frames(s.frames));
    expect(asFake(usage)).toEqual(s.usage);
    expect(usage.modelServed).toBe("claude-x");
  });

  it("Gemini SSE (CRLF events): the last chunk's usageMetadata", () => {
    const s = streamGenerateContent({ model: "gemini-x", id: "r1", words: replyWords(5), truncated: false, counts: counts(5, 5, { cached: true, reasoning: true }) }, true);
    const { out, usage } = run(plan({ sse: true, json: false }), frames(s.frames), [3, 77, 151]);
    expect(out).toBe(frames(s.frames));
    expect(asFake(usage)).toEqual(s.usage);
  });

  it("Cohere v2: message-end's usage", () => {
    const text =
      'event: message-start\ndata: {"id":"c1","type":"message-start","delta":{"message":{"role":"assistant"}}}\n\n' +
      'event: message-end\ndata: {"type":"message-end","delta":{"finish_reason":"COMPLETE","usage":{"billed_units":{"input_tokens":5,"output_tokens":3},"tokens":{"input_tokens":71,"output_tokens":3}}}}\n\n';
    expect(run(plan({ sse: true, json: false }), text).usage).toMatchObject({ inputTokens: 71, outputTokens: 3 });
    const json = '{"id":"c1","message":{"role":"assistant"},"finish_reason":"COMPLETE","usage":{"billed_units":{"input_tokens":5,"output_tokens":3},"tokens":{"input_tokens":71,"output_tokens":3},"cached_tokens":64}}';
    expect(run(plan({}), json).usage).toMatchObject({ inputTokens: 71, outputTokens: 3, cachedTokens: 64 });
  });
});
