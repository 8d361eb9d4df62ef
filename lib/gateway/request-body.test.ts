import { describe, expect, it } from "vitest";
import { GatewayError } from "./errors";
import { nativeModel, parseCompatBody, prepareCompatBody, prepareNativeChatBody, topLevelKeyCount } from "./request-body";

const bytes = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v));
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof GatewayError ? `${e.status} ${e.code}` : String(e);
  }
  return "no error";
};

describe("parseCompatBody", () => {
  it("routes by model and keeps the body as sent", () => {
    const r = parseCompatBody(bytes({ model: "openrouter/meta-llama/llama-3.1-8b", stream: true, messages: [] }));
    expect(r.model).toEqual({ route: "openrouter", model: "meta-llama/llama-3.1-8b" });
    expect(r.stream).toBe(true);
    expect(r.body.messages).toEqual([]);
  });

  it("a clear 400 or 404 for each bad body", () => {
    expect(code(() => parseCompatBody(bytes("not json")))).toBe("400 invalid_request");
    expect(code(() => parseCompatBody(Buffer.from([0x7b, 0xff, 0x7d])))).toBe("400 invalid_request");
    expect(code(() => parseCompatBody(bytes([1, 2])))).toBe("400 invalid_request");
    expect(code(() => parseCompatBody(bytes({ messages: [] })))).toBe("400 invalid_request");
    expect(code(() => parseCompatBody(bytes({ model: 4 })))).toBe("400 invalid_request");
    expect(code(() => parseCompatBody(bytes({ model: "openai/x", stream: "yes" })))).toBe("400 invalid_request");
    expect(code(() => parseCompatBody(bytes({ model: "gpt-4o" })))).toBe("404 unknown_model");
    expect(code(() => parseCompatBody(bytes("")))).toBe("400 invalid_request");
  });
});

describe("prepareCompatBody", () => {
  const sent = (b: Buffer) => JSON.parse(b.toString());

  it("sends the provider's own model id", () => {
    const p = prepareCompatBody({ model: "openai/gpt-4o", input: "x" }, "gpt-4o", "openai", "embeddings");
    expect(sent(p.bytes)).toEqual({ model: "gpt-4o", input: "x" });
    expect(p.injectedUsage).toBe(false);
  });

  it("asks for the usage chunk of a stream when the client did not, keeping its other stream options", () => {
    const p = prepareCompatBody({ model: "r/m", stream: true, stream_options: { include_obfuscation: false } }, "m", "openai", "chat");
    expect(sent(p.bytes).stream_options).toEqual({ include_obfuscation: false, include_usage: true });
    expect(p.injectedUsage).toBe(true);
    for (const [body, type] of [
      [{ stream: true, stream_options: { include_usage: true } }, "openai"],
      [{ stream: false }, "openai"],
      [{}, "groq"],
      [{ stream: true }, "cohere"],
    ] as const) {
      const q = prepareCompatBody({ model: "r/m", ...body }, "m", type, "chat");
      expect(q.injectedUsage).toBe(false);
      expect(sent(q.bytes).stream_options).toEqual("stream_options" in body ? body.stream_options : undefined);
    }
  });

  it("native chat bodies: the same, and untouched otherwise", () => {
    expect(prepareNativeChatBody(bytes({ model: "m", stream: true }), "groq")?.injectedUsage).toBe(true);
    expect(prepareNativeChatBody(bytes({ model: "m" }), "groq")).toBeNull();
    expect(prepareNativeChatBody(bytes("garbage"), "groq")).toBeNull();
    expect(prepareNativeChatBody(bytes({ model: "m", stream: true }), "cohere")).toBeNull();
  });
});

describe("nativeModel", () => {
  it("Gemini's from the path, others' from the body, none when absent", () => {
    expect(nativeModel("/v1beta/models/gemini-2.0-flash:generateContent", new Uint8Array(0))).toBe("gemini-2.0-flash");
    expect(nativeModel("/v1beta/models/gemini%2Dx:streamGenerateContent", new Uint8Array(0))).toBe("gemini-x");
    expect(nativeModel("/v1/messages", bytes({ model: "claude-3-5-haiku", max_tokens: 5 }))).toBe("claude-3-5-haiku");
    expect(nativeModel("/v1/models", new Uint8Array(0))).toBeNull();
    expect(nativeModel("/v1/files", bytes("--boundary\r\n"))).toBeNull();
  });

  it("refuses a body that names model twice (the provider's parser might read the other one)", () => {
    expect(code(() => nativeModel("/v1/messages", bytes('{"model":"allowed","max_tokens":1,"model":"forbidden"}')))).toBe("400 invalid_request");
    expect(code(() => nativeModel("/v1/messages", bytes('{"model":"a","m\\u006fdel":"b"}')))).toBe("400 invalid_request");
    expect(nativeModel("/v1/messages", bytes({ model: "a", tools: [{ input_schema: { properties: { model: { type: "string" } } } }], metadata: { model: "x" } }))).toBe("a");
  });

  it("topLevelKeyCount sees keys only at the top", () => {
    expect(topLevelKeyCount('{"model":1,"a":{"model":2},"b":["model",{"model":3}],"c":"\\"model\\"","model":4}', "model")).toBe(2);
    expect(topLevelKeyCount('{"a":"model","b":"x"}', "model")).toBe(0);
  });
});
