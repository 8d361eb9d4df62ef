/**
 * The successful answer of each inference endpoint, built from the request body and the behaviour
 * the model name asks for (controls.ts).
 */
import type { ProviderType } from "../../lib/providers/catalogue";
import { message, messageStream } from "./anthropic-messages";
import { replyLength, type Behaviour } from "./controls";
import { generateContent, streamGenerateContent } from "./gemini";
import { badRequest, requestIdHeader, type Surface } from "./inference-errors";
import { chatCompletion, chatStream, embeddingsBody } from "./openai-compat";
import type { Answer } from "./respond";
import { successBody } from "./success-bodies";
import { counts, embeddingInputs, geminiPromptWords, promptWords, replyWords, reportedEmbeddings } from "./usage";

export type InferenceKind = "chat" | "embeddings" | "messages" | "generateContent" | "streamGenerateContent" | "models";

export interface Ask {
  provider: ProviderType;
  surface: Surface;
  kind: InferenceKind;
  /** The model: from the body, or from the path for Gemini. */
  model: string;
  body: Record<string, unknown>;
  stream: boolean;
  includeUsage: boolean;
  /** Gemini streams: SSE (`alt=sse`) or one JSON array. */
  sse: boolean;
  seq: number;
  behaviour: Behaviour;
}

const JSON_TYPE = "application/json";
const SSE_TYPE = "text/event-stream; charset=utf-8";

const json = (a: Ask, status: number, body: unknown, usage: Answer["usage"] = null): Answer => ({
  status,
  headers: { "content-type": JSON_TYPE, [requestIdHeader(a.surface, a.provider)]: `req_fake${a.seq}` },
  body: JSON.stringify(body),
  usage,
  usageSent: usage !== null,
});

const stream = (a: Ask, frames: Exclude<Answer["body"], string>, usage: Answer["usage"], usageSent: boolean, contentType = SSE_TYPE): Answer => ({
  status: 200,
  headers: { "content-type": contentType, "cache-control": "no-cache", [requestIdHeader(a.surface, a.provider)]: `req_fake${a.seq}` },
  body: frames,
  usage,
  usageSent,
});

/** Reply words and counts for a request whose prompt has `input` words. */
function reply(a: Ask, input: number, maxTokens: unknown) {
  const { words, truncated } = replyLength(a.behaviour, maxTokens);
  return { words: replyWords(words), truncated, counts: counts(input, words, a.behaviour) };
}

/** The answer, or a 400 in the provider's shape when the body lacks what the real API requires. */
export function successAnswer(a: Ask): Answer {
  const fail = (message: string, param: string | null = null): Answer => {
    const r = badRequest(a.surface, a.provider, message, param);
    return json(a, r.status, r.body);
  };
  const created = Math.floor(Date.now() / 1000);
  switch (a.kind) {
    case "models": {
      const models = (successBody("google", null) as { models: { name: string }[] }).models;
      return json(a, 200, { object: "list", data: models.map((m) => ({ id: m.name, object: "model", owned_by: "google" })) });
    }
    case "chat": {
      if (!Array.isArray(a.body.messages) || a.body.messages.length === 0) return fail("Missing required parameter: 'messages'.", "messages");
      const r = { provider: a.provider, model: a.model, id: `chatcmpl-fake${a.seq}`, created, includeUsage: a.includeUsage };
      const rep = { ...r, ...reply(a, promptWords(a.body), a.body.max_completion_tokens ?? a.body.max_tokens) };
      if (!a.stream) {
        const c = chatCompletion(rep);
        return json(a, 200, c.body, c.usage);
      }
      const s = chatStream(rep);
      return stream(a, s.frames, s.usage, s.usageSent);
    }
    case "embeddings": {
      const { texts, tokens } = embeddingInputs(a.body.input);
      if (texts.length === 0) return fail("'input' is a required property", "input");
      const d = a.body.dimensions;
      const dims = typeof d === "number" && Number.isInteger(d) && d > 0 && d <= 4096 ? d : 8;
      const usage = reportedEmbeddings(tokens);
      return json(a, 200, embeddingsBody(a.model, texts, tokens, dims, a.body.encoding_format === "base64"), usage);
    }
    case "messages": {
      if (typeof a.body.max_tokens !== "number") return fail("max_tokens: Field required");
      if (!Array.isArray(a.body.messages) || a.body.messages.length === 0) return fail("messages: Field required");
      const rep = { model: a.model, id: `msg_fake${String(a.seq).padStart(20, "0")}`, ...reply(a, promptWords(a.body), a.body.max_tokens) };
      if (!a.stream) {
        const m = message(rep);
        return json(a, 200, m.body, m.usage);
      }
      const s = messageStream(rep);
      return stream(a, s.frames, s.usage, true);
    }
    case "generateContent":
    case "streamGenerateContent": {
      if (!Array.isArray(a.body.contents) || a.body.contents.length === 0) return fail("* GenerateContentRequest.contents: contents is not specified\n");
      const config = a.body.generationConfig as { maxOutputTokens?: unknown } | undefined;
      const rep = { model: a.model, id: `fakeResp${a.seq}`, ...reply(a, geminiPromptWords(a.body), config?.maxOutputTokens) };
      if (a.kind === "generateContent") {
        const g = generateContent(rep);
        return json(a, 200, g.body, g.usage);
      }
      const s = streamGenerateContent(rep, a.sse);
      return stream(a, s.frames, s.usage, true, a.sse ? "text/event-stream" : "application/json; charset=UTF-8");
    }
  }
}
