/**
 * Anthropic's native Messages API answers (`POST /v1/messages`): the message object, and the stream
 * in the real event order: message_start (with the input usage), content_block_start, ping, one
 * content_block_delta per word, content_block_stop, message_delta (usage so far, cumulative), and
 * message_stop, each as `event: <type>` + `data: <json>`.
 */
import type { StreamFrames } from "./respond";
import { anthropicUsage, reportedAnthropic, type Counts, type FakeUsage } from "./usage";

export interface MessagesReply {
  model: string;
  id: string;
  words: string[];
  truncated: boolean;
  counts: Counts;
}

const stopReason = (r: MessagesReply) => (r.truncated ? "max_tokens" : "end_turn");
const outputTokens = (r: MessagesReply) => r.counts.output + r.counts.reasoning;

export function message(r: MessagesReply): { body: unknown; usage: FakeUsage } {
  return {
    body: {
      id: r.id,
      type: "message",
      role: "assistant",
      model: r.model,
      content: [{ type: "text", text: r.words.join(" ") }],
      stop_reason: stopReason(r),
      stop_sequence: null,
      usage: { ...anthropicUsage(r.counts, outputTokens(r)), service_tier: "standard" },
    },
    usage: reportedAnthropic(r.counts),
  };
}

const event = (type: string, data: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

export function messageStream(r: MessagesReply): { frames: StreamFrames; usage: FakeUsage } {
  const start = {
    id: r.id,
    type: "message",
    role: "assistant",
    model: r.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    // The real message_start already counts the whole input and one output token.
    usage: { ...anthropicUsage(r.counts, 1), service_tier: "standard" },
  };
  const head =
    event("message_start", { message: start }) +
    event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }) +
    event("ping", {});
  const chunks = r.words.map((w, i) => event("content_block_delta", { index: 0, delta: { type: "text_delta", text: i === 0 ? w : ` ${w}` } }));
  const tail =
    event("content_block_stop", { index: 0 }) +
    event("message_delta", { delta: { stop_reason: stopReason(r), stop_sequence: null }, usage: anthropicUsage(r.counts, outputTokens(r)) }) +
    event("message_stop", {});
  return { frames: { head, chunks, tail }, usage: reportedAnthropic(r.counts) };
}
