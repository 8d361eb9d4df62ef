/**
 * Deterministic token counts for the fake's chat answers, so a test can predict exactly what the
 * fake will report. One token is one word (a run of non-whitespace) of the request's text; the
 * reply is a fixed sequence of words. Each provider reports the same counts in its own shape, with
 * its own conventions (Anthropic's `input_tokens` leaves out cache reads, Gemini counts thoughts
 * outside `candidatesTokenCount`), just as the real APIs do.
 */
import type { ProviderType } from "../../lib/providers/catalogue";

/** What a request used, before any provider's conventions are applied. */
export interface Counts {
  /** Words of the prompt, cached ones included. */
  input: number;
  /** Words of the visible reply. */
  output: number;
  /** Prompt words served "from cache" (models with `cached` in their name: half the prompt). */
  cached: number;
  /** Hidden reasoning tokens (models with `reasoning` in their name: twice the visible reply). */
  reasoning: number;
}

/**
 * What the fake reported for one answer, in one convention whatever the provider: input includes
 * cached tokens and output includes reasoning tokens (OpenAI's). A field is null when the provider's
 * answer has no such field, so a test knows the gateway could not have seen it.
 */
export interface FakeUsage {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number | null;
  reasoningTokens: number | null;
  /** OpenRouter's own `usage.cost` (USD); null for every other provider. */
  costUsd: number | null;
}

const REPLY = ["Hello", "from", "the", "fake", "provider."];

/** The reply's words: the fixed greeting, then numbered words for longer replies. */
export function replyWords(n: number): string[] {
  return Array.from({ length: n }, (_, i) => REPLY[i] ?? `word${i + 1}`);
}

export const wordCount = (text: string): number => text.split(/\s+/).filter(Boolean).length;

/** The text of an OpenAI-style message content: a string or an array of parts. */
function contentText(content: unknown): string[] {
  if (typeof content === "string") return [content];
  if (!Array.isArray(content)) return [];
  return content.flatMap((p) => (p && typeof p === "object" && typeof (p as { text?: unknown }).text === "string" ? [(p as { text: string }).text] : []));
}

/** Prompt words of an OpenAI chat request (`messages[].content`) or an Anthropic one (`system` too). */
export function promptWords(body: Record<string, unknown>): number {
  const texts: string[] = [...contentText(body.system)];
  if (Array.isArray(body.messages)) {
    for (const m of body.messages) if (m && typeof m === "object") texts.push(...contentText((m as { content?: unknown }).content));
  }
  return texts.reduce((n, t) => n + wordCount(t), 0);
}

/** Prompt words of a Gemini request: `systemInstruction` and `contents`, each a list of parts. */
export function geminiPromptWords(body: Record<string, unknown>): number {
  const parts = (c: unknown): string[] =>
    c && typeof c === "object" && Array.isArray((c as { parts?: unknown }).parts) ? contentText((c as { parts: unknown[] }).parts) : [];
  const texts = [...parts(body.systemInstruction), ...(Array.isArray(body.contents) ? body.contents.flatMap(parts) : [])];
  return texts.reduce((n, t) => n + wordCount(t), 0);
}

/** Embedding inputs: strings count words; arrays of token ids count their ids. */
export function embeddingInputs(input: unknown): { texts: string[]; tokens: number } {
  const items = Array.isArray(input) && input.length > 0 && typeof input[0] !== "number" ? input : [input];
  const texts: string[] = [];
  let tokens = 0;
  for (const item of items) {
    if (typeof item === "string") {
      texts.push(item);
      tokens += wordCount(item);
    } else if (Array.isArray(item)) {
      texts.push(item.join(","));
      tokens += item.length;
    }
  }
  return { texts, tokens };
}

export function counts(input: number, output: number, model: { cached: boolean; reasoning: boolean }): Counts {
  return { input, output, cached: model.cached ? Math.floor(input / 2) : 0, reasoning: model.reasoning ? output * 2 : 0 };
}

/** OpenRouter's price for its cost field: $1 per million input tokens, $2 per million output. */
export const openRouterCost = (c: Counts): number => Number(((c.input + 2 * (c.output + c.reasoning)) / 1e6).toFixed(9));

/** Which usage details each OpenAI-compatible answer carries. */
const DETAILS: Record<ProviderType, { cached: boolean; reasoning: boolean }> = {
  openai: { cached: true, reasoning: true },
  openrouter: { cached: true, reasoning: true },
  groq: { cached: true, reasoning: false },
  together: { cached: false, reasoning: false },
  mistral: { cached: false, reasoning: false },
  custom: { cached: false, reasoning: false },
  anthropic: { cached: false, reasoning: false },
  google: { cached: false, reasoning: true },
  cohere: { cached: false, reasoning: false },
};

/** The `usage` object of an OpenAI-compatible chat answer, in the provider's own shape. */
export function openAiUsage(provider: ProviderType, c: Counts): Record<string, unknown> {
  const completion = c.output + c.reasoning;
  const base: Record<string, unknown> = { prompt_tokens: c.input, completion_tokens: completion, total_tokens: c.input + completion };
  if (provider === "openai") {
    base.prompt_tokens_details = { cached_tokens: c.cached, audio_tokens: 0 };
    base.completion_tokens_details = { reasoning_tokens: c.reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 };
  } else if (provider === "openrouter") {
    base.cost = openRouterCost(c);
    base.is_byok = false;
    base.prompt_tokens_details = { cached_tokens: c.cached, audio_tokens: 0 };
    base.cost_details = { upstream_inference_cost: null };
    base.completion_tokens_details = { reasoning_tokens: c.reasoning, image_tokens: 0 };
  } else if (provider === "groq") {
    // Groq reports its timings beside the counts.
    Object.assign(base, { queue_time: 0.0123, prompt_time: 0.0042, completion_time: 0.0318, total_time: 0.036 });
    base.prompt_tokens_details = { cached_tokens: c.cached };
  } else if (provider === "google") {
    if (c.reasoning > 0) base.completion_tokens_details = { reasoning_tokens: c.reasoning };
  }
  return base;
}

/** What a gateway could read from an OpenAI-compatible answer, in FakeUsage's convention. */
export function reportedOpenAi(provider: ProviderType, c: Counts): FakeUsage {
  const d = DETAILS[provider];
  return {
    inputTokens: c.input,
    outputTokens: c.output + c.reasoning,
    cachedTokens: d.cached ? c.cached : null,
    reasoningTokens: d.reasoning ? c.reasoning : null,
    costUsd: provider === "openrouter" ? openRouterCost(c) : null,
  };
}

/** Embeddings report only input tokens. */
export const reportedEmbeddings = (tokens: number): FakeUsage => ({ inputTokens: tokens, outputTokens: 0, cachedTokens: null, reasoningTokens: null, costUsd: null });

/** Anthropic's `usage`: `input_tokens` excludes cache reads, `output_tokens` includes thinking. */
export function anthropicUsage(c: Counts, outputSoFar: number): Record<string, unknown> {
  return {
    input_tokens: c.input - c.cached,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: c.cached,
    output_tokens: outputSoFar,
    ...(c.reasoning > 0 ? { output_tokens_details: { thinking_tokens: c.reasoning } } : {}),
  };
}

export const reportedAnthropic = (c: Counts): FakeUsage => ({
  inputTokens: c.input,
  outputTokens: c.output + c.reasoning,
  cachedTokens: c.cached,
  reasoningTokens: c.reasoning,
  costUsd: null,
});

/** Gemini's `usageMetadata`: thoughts are counted beside the candidates, zero fields are left out. */
export function geminiUsage(c: Counts, candidatesSoFar: number): Record<string, unknown> {
  const m: Record<string, unknown> = {
    promptTokenCount: c.input,
    candidatesTokenCount: candidatesSoFar,
    totalTokenCount: c.input + candidatesSoFar + c.reasoning,
    promptTokensDetails: [{ modality: "TEXT", tokenCount: c.input }],
  };
  if (c.cached > 0) {
    m.cachedContentTokenCount = c.cached;
    m.cacheTokensDetails = [{ modality: "TEXT", tokenCount: c.cached }];
  }
  if (c.reasoning > 0) m.thoughtsTokenCount = c.reasoning;
  return m;
}

export const reportedGemini = reportedAnthropic;
