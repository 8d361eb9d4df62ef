/**
 * What a request used, read from the provider's own answer: `usage` of OpenAI-compatible JSON and
 * of a stream's final usage chunk (Groq's `x_groq.usage` too, OpenRouter's `usage.cost`), Anthropic
 * Messages (`message_start`, then `message_delta`, whose counts are cumulative, so the last wins),
 * Gemini's `usageMetadata` (each streamed chunk carries the counts so far), and Cohere's v2 chat.
 * Counts use one convention whatever the provider: input includes cached tokens, output includes
 * reasoning tokens. A count the answer did not carry stays null: unknown, not zero.
 */

export interface UsageCounts {
  inputTokens: number | null;
  outputTokens: number | null;
  cachedTokens: number | null;
  reasoningTokens: number | null;
  /** The cost the provider itself reported (OpenRouter's `usage.cost`), in USD. */
  providerCostUsd: number | null;
  /** The model id the provider says answered. */
  modelServed: string | null;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : null);
const int = (v: unknown): number | null => {
  const n = num(v);
  return n === null ? null : Math.round(n);
};
const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 && v.length <= 256 ? v : null);
const sum = (...vs: (number | null)[]): number | null => (vs.every((v) => v === null) ? null : vs.reduce<number>((a, v) => a + (v ?? 0), 0));

/** Anthropic's raw counts, merged field by field as message_start and message_delta arrive. */
interface AnthropicRaw {
  input: number | null;
  cacheRead: number | null;
  cacheCreation: number | null;
  output: number | null;
  thinking: number | null;
}

export class UsageCollector {
  private readonly c: UsageCounts = { inputTokens: null, outputTokens: null, cachedTokens: null, reasoningTokens: null, providerCostUsd: null, modelServed: null };
  private anthropic: AnthropicRaw | null = null;

  /** Reads any answer object (a JSON body, a stream event's data, an element of Gemini's array). */
  observe(value: unknown): void {
    if (Array.isArray(value)) {
      for (const v of value) this.observe(v);
      return;
    }
    if (!isObj(value)) return;
    const type = value.type;
    if (isObj(value.usageMetadata) || typeof value.modelVersion === "string") return this.gemini(value);
    if (type === "message" || type === "message_start" || type === "message_delta") return this.anthropicEvent(value);
    if (type === "message-end" && isObj(value.delta)) return this.cohere(value.delta.usage);
    if (isObj(value.usage) && (isObj(value.usage.tokens) || isObj(value.usage.billed_units))) {
      this.model(value.model);
      return this.cohere(value.usage);
    }
    this.openAi(value);
  }

  /** The counts gathered so far. */
  result(): UsageCounts {
    const a = this.anthropic;
    if (!a) return { ...this.c };
    return {
      ...this.c,
      inputTokens: sum(a.input, a.cacheRead, a.cacheCreation),
      outputTokens: a.output,
      cachedTokens: a.cacheRead ?? (a.input !== null ? 0 : null),
      // Anthropic counts thinking inside output_tokens and details it only when there was some.
      reasoningTokens: a.thinking ?? (a.output !== null ? 0 : null),
    };
  }

  private model(v: unknown): void {
    const m = str(v);
    if (m) this.c.modelServed = m;
  }

  private openAi(o: Obj): void {
    this.model(o.model);
    const xGroq = isObj(o.x_groq) ? o.x_groq.usage : undefined;
    const u = isObj(o.usage) ? o.usage : isObj(xGroq) ? xGroq : null;
    if (!u || (u.prompt_tokens === undefined && u.completion_tokens === undefined)) return;
    this.c.inputTokens = int(u.prompt_tokens);
    // embeddings answer prompt tokens only: they produce no output tokens
    this.c.outputTokens = int(u.completion_tokens) ?? (this.c.inputTokens !== null ? 0 : null);
    const pd = isObj(u.prompt_tokens_details) ? u.prompt_tokens_details : null;
    const cd = isObj(u.completion_tokens_details) ? u.completion_tokens_details : null;
    this.c.cachedTokens = pd ? int(pd.cached_tokens) : null;
    this.c.reasoningTokens = cd ? int(cd.reasoning_tokens) : null;
    const cost = num(u.cost);
    if (cost !== null) this.c.providerCostUsd = cost;
  }

  private anthropicEvent(o: Obj): void {
    const message = o.type === "message_start" && isObj(o.message) ? o.message : o;
    this.model(message.model);
    const u = message.usage;
    if (!isObj(u)) return;
    const a = (this.anthropic ??= { input: null, cacheRead: null, cacheCreation: null, output: null, thinking: null });
    const set = (k: keyof AnthropicRaw, v: unknown) => {
      const n = int(v);
      if (n !== null) a[k] = n;
    };
    set("input", u.input_tokens);
    set("cacheRead", u.cache_read_input_tokens);
    set("cacheCreation", u.cache_creation_input_tokens);
    set("output", u.output_tokens);
    if (isObj(u.output_tokens_details)) set("thinking", u.output_tokens_details.thinking_tokens);
  }

  private gemini(o: Obj): void {
    this.model(o.modelVersion);
    const m = o.usageMetadata;
    if (!isObj(m)) return;
    // Google leaves zero counts out of its JSON, so a missing detail is a zero here.
    const candidates = int(m.candidatesTokenCount) ?? 0;
    const thoughts = int(m.thoughtsTokenCount) ?? 0;
    this.c.inputTokens = int(m.promptTokenCount) ?? 0;
    this.c.outputTokens = candidates + thoughts;
    this.c.cachedTokens = int(m.cachedContentTokenCount) ?? 0;
    this.c.reasoningTokens = thoughts;
  }

  private cohere(u: unknown): void {
    if (!isObj(u)) return;
    const t = isObj(u.tokens) ? u.tokens : isObj(u.billed_units) ? u.billed_units : null;
    if (!t) return;
    this.c.inputTokens = int(t.input_tokens);
    this.c.outputTokens = int(t.output_tokens) ?? (this.c.inputTokens !== null ? 0 : null);
    const cached = int(u.cached_tokens);
    if (cached !== null) this.c.cachedTokens = cached;
  }
}

/**
 * The JSON value that follows the last `"key":` in `text`, for bodies too large to parse whole
 * (the usage of an OpenAI, Anthropic or Gemini answer sits at its end). Null when there is none or
 * it does not parse.
 */
export function lastJsonValueOf(text: string, key: string): unknown {
  const at = text.lastIndexOf(`"${key}"`);
  if (at < 0) return null;
  const colon = text.indexOf(":", at + key.length + 2);
  if (colon < 0) return null;
  let i = colon + 1;
  while (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t") i++;
  if (text[i] === '"') {
    const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i));
    return m ? safeParse(m[0]) : null;
  }
  if (text[i] !== "{") return null;
  let depth = 0;
  let inString = false;
  for (let j = i; j < text.length; j++) {
    const ch = text[j];
    if (inString) {
      if (ch === "\\") j++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return safeParse(text.slice(i, j + 1));
  }
  return null;
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
