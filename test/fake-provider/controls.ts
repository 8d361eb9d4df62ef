/**
 * How a chat, embeddings, Messages or generateContent answer behaves, read from the model name (a
 * gateway forwards the model and the key, nothing else a test could set). Controls are words inside
 * the model id and combine freely, e.g. `gpt-4o-mini-drip-50x20-ttfb-100`:
 *
 * | in the model      | effect                                                                       |
 * |-------------------|------------------------------------------------------------------------------|
 * | `ttfb-M`          | wait M ms before the status line (added to the fake's global latency)        |
 * | `drip-NxM`        | stream N content chunks, M ms apart (the first at the time to first byte)    |
 * | `words-N`         | reply with N words (default 5), all at once                                  |
 * | `idle-after-N`    | write N content chunks, then go silent with the connection open              |
 * | `reset-after-N`   | write N content chunks, then destroy the connection                          |
 * | `fail-S`          | the provider's error for status S: 401 402 403 404 429 500 503 529 (others: its 500 body) |
 * | `echo-key`        | a 401 that echoes the whole key in its message and in the request-id header  |
 * | `cached`          | half of the prompt's tokens are reported as cached                           |
 * | `reasoning`       | twice the reply's tokens are reported as reasoning (thinking) tokens         |
 *
 * A non-streamed answer under `idle-after` or `reset-after` sends its headers and half its body.
 */
import type { FailureKind } from "./error-bodies";

export interface Behaviour {
  ttfbMs: number;
  /** Content chunks of a stream; null = one per reply word, written at once. */
  dripChunks: number | null;
  dripIntervalMs: number;
  words: number;
  idleAfter: number | null;
  resetAfter: number | null;
  /** An upstream error: the provider's body for `kind`, sent with `status`. */
  fail: { status: number; kind: FailureKind } | null;
  echoKey: boolean;
  cached: boolean;
  reasoning: boolean;
}

const DEFAULT_WORDS = 5;
const MAX_CHUNKS = 10_000;
const MAX_MS = 600_000;

const KIND_BY_STATUS: Record<number, FailureKind> = {
  401: "invalid",
  402: "nocredit",
  403: "forbidden",
  404: "not_found",
  429: "ratelimit",
  500: "error500",
  502: "error500",
  503: "overloaded",
  529: "overloaded",
};

const int = (m: RegExpExecArray | null, i = 1): number | null => (m ? Number(m[i]) : null);
const clamp = (v: number, max: number): number => Math.min(Math.max(0, v), max);

export function behaviourFor(model: string | null): Behaviour {
  const m = (model ?? "").toLowerCase();
  const drip = /(?:^|[^a-z])drip-(\d+)x(\d+)/.exec(m);
  const failStatus = int(/(?:^|[^a-z])fail-(\d{3})/.exec(m));
  const idle = int(/(?:^|[^a-z])idle-after-(\d+)/.exec(m));
  const reset = int(/(?:^|[^a-z])reset-after-(\d+)/.exec(m));
  const words = int(/(?:^|[^a-z])words-(\d+)/.exec(m));
  return {
    ttfbMs: clamp(int(/(?:^|[^a-z])ttfb-(\d+)/.exec(m)) ?? 0, MAX_MS),
    dripChunks: drip ? clamp(Number(drip[1]), MAX_CHUNKS) : null,
    dripIntervalMs: drip ? clamp(Number(drip[2]), MAX_MS) : 0,
    words: clamp(words ?? DEFAULT_WORDS, MAX_CHUNKS),
    idleAfter: idle === null ? null : clamp(idle, MAX_CHUNKS),
    resetAfter: reset === null ? null : clamp(reset, MAX_CHUNKS),
    fail: failStatus !== null && failStatus >= 400 && failStatus <= 599 ? { status: failStatus, kind: KIND_BY_STATUS[failStatus] ?? "error500" } : null,
    echoKey: /(?:^|[^a-z])echo-key/.test(m),
    cached: /(?:^|[^a-z])cached/.test(m),
    reasoning: /(?:^|[^a-z])reasoning/.test(m),
  };
}

/** How many content chunks (= reply words) an answer has, capped by the request's token limit. */
export function replyLength(b: Behaviour, maxTokens: unknown): { words: number; truncated: boolean } {
  const wanted = b.dripChunks ?? b.words;
  const cap = typeof maxTokens === "number" && Number.isInteger(maxTokens) && maxTokens > 0 ? maxTokens : Infinity;
  return wanted > cap ? { words: cap, truncated: true } : { words: wanted, truncated: false };
}
