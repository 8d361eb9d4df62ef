/**
 * Gemini's native `generateContent` and `streamGenerateContent` answers. A streamed answer is a
 * sequence of whole GenerateContentResponse objects, each with the text so far's delta and a
 * `usageMetadata` whose counts grow; the last has the finishReason. With `alt=sse` each is an SSE
 * `data:` event (Google separates events with CRLF CRLF); without it the stream is one JSON array
 * written element by element.
 */
import type { StreamFrames } from "./respond";
import { geminiUsage, reportedGemini, type Counts, type FakeUsage } from "./usage";

export interface GeminiReply {
  /** The model id from the path, without `models/`. */
  model: string;
  id: string;
  words: string[];
  truncated: boolean;
  counts: Counts;
}

const finishReason = (r: GeminiReply) => (r.truncated ? "MAX_TOKENS" : "STOP");

function response(r: GeminiReply, text: string, candidatesSoFar: number, last: boolean): Record<string, unknown> {
  const candidate: Record<string, unknown> = { content: { parts: [{ text }], role: "model" }, index: 0 };
  if (last) candidate.finishReason = finishReason(r);
  return { candidates: [candidate], usageMetadata: geminiUsage(r.counts, candidatesSoFar), modelVersion: r.model, responseId: r.id };
}

export function generateContent(r: GeminiReply): { body: unknown; usage: FakeUsage } {
  return { body: response(r, r.words.join(" "), r.counts.output, true), usage: reportedGemini(r.counts) };
}

export function streamGenerateContent(r: GeminiReply, sse: boolean): { frames: StreamFrames; usage: FakeUsage } {
  const parts = r.words.length > 0 ? r.words.map((w, i) => (i === 0 ? w : ` ${w}`)) : [""];
  const objects = parts.map((text, i) => JSON.stringify(response(r, text, Math.min(i + 1, r.counts.output), i === parts.length - 1)));
  const frames: StreamFrames = sse
    ? { head: "", chunks: objects.map((o) => `data: ${o}\r\n\r\n`), tail: "" }
    : { head: "[", chunks: objects.map((o, i) => (i === 0 ? o : `,\r\n${o}`)), tail: "]" };
  return { frames, usage: reportedGemini(r.counts) };
}
