/**
 * The OpenAI-compatible chat completion and embeddings answers, as each provider's compatible API
 * sends them: OpenAI's own fields (service_tier, system_fingerprint, dated model snapshot), Groq's
 * `x_groq` block with the usage on its last chunk, OpenRouter's SSE keep-alive comment, `provider`
 * field and usage chunk sent whether asked for or not (OpenRouter documents `stream_options` as
 * ignored: usage is always included).
 */
import { createHash } from "node:crypto";
import type { ProviderType } from "../../lib/providers/catalogue";
import type { StreamFrames } from "./respond";
import { openAiUsage, reportedOpenAi, type Counts, type FakeUsage } from "./usage";

export interface ChatReply {
  provider: ProviderType;
  /** The model the request named; the answer names the served one (see servedModel). */
  model: string;
  id: string;
  created: number;
  words: string[];
  truncated: boolean;
  counts: Counts;
  includeUsage: boolean;
}

/** OpenAI answers with a dated snapshot of the model asked for, as the real API does. */
export function servedModel(provider: ProviderType, model: string): string {
  return provider === "openai" && !/-\d{4}-\d{2}-\d{2}$/.test(model) ? `${model}-2025-01-01` : model;
}

function providerFields(r: ChatReply): Record<string, unknown> {
  if (r.provider === "openai") return { service_tier: "default", system_fingerprint: "fp_fake0001" };
  if (r.provider === "openrouter") return { provider: "FakeUpstream" };
  return {};
}

const finishReason = (r: ChatReply) => (r.truncated ? "length" : "stop");

export function chatCompletion(r: ChatReply): { body: unknown; usage: FakeUsage } {
  const message: Record<string, unknown> = { role: "assistant", content: r.words.join(" ") };
  if (r.provider === "openai") Object.assign(message, { refusal: null, annotations: [] });
  const body = {
    id: r.id,
    object: "chat.completion",
    created: r.created,
    model: servedModel(r.provider, r.model),
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(r) }],
    usage: openAiUsage(r.provider, r.counts),
    ...providerFields(r),
    ...(r.provider === "groq" ? { x_groq: { id: `req_${r.id}` } } : {}),
  };
  return { body, usage: reportedOpenAi(r.provider, r.counts) };
}

const sse = (data: unknown): string => `data: ${JSON.stringify(data)}\n\n`;

/**
 * The stream: a role chunk, one chunk per word, a finish chunk, then (when asked for, and always
 * for OpenRouter) a usage chunk with empty `choices`, then `[DONE]`. Under include_usage every
 * other chunk carries `"usage": null`, exactly as OpenAI sends it.
 */
export function chatStream(r: ChatReply): { frames: StreamFrames; usage: FakeUsage; usageSent: boolean } {
  const usageChunk = r.includeUsage || r.provider === "openrouter";
  const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) => ({
    id: r.id,
    object: "chat.completion.chunk",
    created: r.created,
    model: servedModel(r.provider, r.model),
    ...providerFields(r),
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(r.includeUsage ? { usage: null } : {}),
    ...extra,
  });
  const groq = r.provider === "groq";
  const roleDelta = r.provider === "openai" ? { role: "assistant", content: "", refusal: null } : { role: "assistant", content: "" };
  const head =
    (r.provider === "openrouter" ? ": OPENROUTER PROCESSING\n\n" : "") +
    sse(chunk(roleDelta, null, groq ? { x_groq: { id: `req_${r.id}` } } : {}));
  const chunks = r.words.map((w, i) => sse(chunk({ content: i === 0 ? w : ` ${w}` }, null)));
  const usage = openAiUsage(r.provider, r.counts);
  let tail = sse(chunk({}, finishReason(r), groq ? { x_groq: { id: `req_${r.id}`, usage } } : {}));
  if (usageChunk) {
    tail += sse({ id: r.id, object: "chat.completion.chunk", created: r.created, model: servedModel(r.provider, r.model), ...providerFields(r), choices: [], usage });
  }
  tail += "data: [DONE]\n\n";
  return { frames: { head, chunks, tail }, usage: reportedOpenAi(r.provider, r.counts), usageSent: usageChunk || groq };
}

/** A deterministic unit-ish vector per input text (the same text always embeds the same). */
export function fakeEmbedding(text: string, dims: number): number[] {
  const out: number[] = [];
  for (let block = 0; out.length < dims; block++) {
    const h = createHash("sha256").update(`${block}:${text}`).digest();
    for (let i = 0; i + 2 <= h.length && out.length < dims; i += 2) out.push(Math.fround(h.readUInt16BE(i) / 32767.5 - 1));
  }
  return out;
}

const toBase64 = (v: number[]): string => {
  const buf = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString("base64");
};

/** `POST /embeddings`: float arrays, or little-endian float32 in base64 (the OpenAI SDK's default). */
export function embeddingsBody(model: string, texts: string[], tokens: number, dims: number, base64: boolean): unknown {
  return {
    object: "list",
    data: texts.map((t, index) => {
      const v = fakeEmbedding(t, dims);
      return { object: "embedding", index, embedding: base64 ? toBase64(v) : v };
    }),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
