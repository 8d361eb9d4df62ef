/**
 * What the hub does to an upstream answer's body on its way to the client, chunk by chunk:
 * redacts the provider key (across chunk boundaries), reads the usage, and, for an OpenAI-compatible
 * stream whose usage chunk the hub asked for on the client's behalf, removes that chunk and the
 * `"usage": null` the provider then adds to every other chunk, so the client gets the stream it
 * asked for. SSE events go out as soon as they are complete; other bodies as they arrive (minus the
 * few bytes that could be the start of a key). Memory is bounded: one SSE event, or a capped copy
 * of a JSON body for its usage.
 */
import type { Redactor, StreamRedactor } from "./redact";
import { SseParser, serializeSseEvent, type SseBlock } from "./sse";
import { lastJsonValueOf, UsageCollector, type UsageCounts } from "./usage";

export interface BodyPlan {
  /** `text/event-stream`. */
  sse: boolean;
  /** A JSON answer (read whole for its usage when it is small enough). */
  json: boolean;
  /** The hub added `stream_options.include_usage`: take the usage chunk out of the client's stream. */
  stripUsageChunk: boolean;
  redactor: Redactor;
}

/** JSON bodies up to this size are parsed whole; larger ones keep a head and a tail for the usage. */
const JSON_PARSE_LIMIT = 256 * 1024;
const JSON_TAIL = 64 * 1024;
const JSON_HEAD = 4 * 1024;
/** An SSE event larger than this is no event any provider sends: the rest of the body passes as bytes. */
const SSE_EVENT_LIMIT = 16 * 1024 * 1024;

export interface BodyProcessor {
  /** Bytes to send now (possibly empty). */
  push(chunk: Buffer): Buffer;
  /** Bytes left at the end of the body. */
  end(): Buffer;
  usage(): UsageCounts;
}

export function createBodyProcessor(plan: BodyPlan): BodyProcessor {
  return plan.sse ? new SseBody(plan) : new PlainBody(plan);
}

class PlainBody implements BodyProcessor {
  private readonly redact: StreamRedactor;
  private readonly collector = new UsageCollector();
  private parts: Buffer[] = [];
  private size = 0;
  private head: Buffer | null = null;
  private tail: Buffer = Buffer.alloc(0);

  constructor(private readonly plan: BodyPlan) {
    this.redact = plan.redactor.stream();
  }

  push(chunk: Buffer): Buffer {
    const out = this.redact.push(chunk);
    this.keep(out);
    return out;
  }

  end(): Buffer {
    const out = this.redact.end();
    this.keep(out);
    return out;
  }

  usage(): UsageCounts {
    if (this.plan.json) this.read();
    return this.collector.result();
  }

  private keep(b: Buffer): void {
    if (!this.plan.json || b.length === 0) return;
    this.size += b.length;
    if (this.head === null && this.size <= JSON_PARSE_LIMIT) {
      this.parts.push(b);
      return;
    }
    if (this.head === null) {
      const all = Buffer.concat([...this.parts, b]);
      this.head = all.subarray(0, JSON_HEAD);
      this.tail = all.subarray(-JSON_TAIL);
      this.parts = [];
      return;
    }
    this.tail = Buffer.concat([this.tail, b]).subarray(-JSON_TAIL);
  }

  private read(): void {
    if (this.head === null) {
      try {
        // most answers arrive in one chunk: read it where it is
        const whole = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
        this.collector.observe(JSON.parse(whole.toString("utf8")));
      } catch {
        // not JSON after all (or cut short): no usage to read
      }
      this.parts = [];
      return;
    }
    const head = this.head.toString("utf8");
    const tail = this.tail.toString("utf8");
    // a chat answer names its model near the start, an embeddings list and Gemini near the end
    const model = lastJsonValueOf(tail, "modelVersion") ?? lastJsonValueOf(head, "model") ?? lastJsonValueOf(tail, "model");
    const meta = lastJsonValueOf(tail, "usageMetadata");
    if (meta) this.collector.observe({ usageMetadata: meta, modelVersion: model });
    else this.collector.observe({ model, usage: lastJsonValueOf(tail, "usage") });
  }
}

class SseBody implements BodyProcessor {
  private readonly redact: StreamRedactor;
  private readonly parser = new SseParser();
  private readonly collector = new UsageCollector();
  /** Past SSE_EVENT_LIMIT: bytes pass through unparsed. */
  private raw = false;
  private lastDropped = false;

  constructor(private readonly plan: BodyPlan) {
    this.redact = plan.redactor.stream();
  }

  push(chunk: Buffer): Buffer {
    const clean = this.redact.push(chunk);
    if (this.raw) return clean;
    const out = this.blocks(this.parser.push(clean));
    if (this.parser.pendingBytes > SSE_EVENT_LIMIT) {
      this.raw = true;
      const rest = this.parser.end();
      return rest ? Buffer.concat([out, rest.raw]) : out;
    }
    return out;
  }

  end(): Buffer {
    const clean = this.redact.end();
    if (this.raw) return clean;
    const out = this.blocks(this.parser.push(clean));
    const rest = this.parser.end();
    if (!rest) return out;
    if (rest.event?.data) this.read(rest.event.data); // a cut-off stream still counts what it carried
    return Buffer.concat([out, rest.raw]);
  }

  usage(): UsageCounts {
    return this.collector.result();
  }

  private blocks(blocks: SseBlock[]): Buffer {
    if (blocks.length === 0) return Buffer.alloc(0);
    const out: Buffer[] = [];
    for (const b of blocks) {
      const kept = this.block(b);
      if (kept) out.push(kept);
    }
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  /** The bytes to send for one block, or null to drop it. */
  private block(b: SseBlock): Buffer | null {
    if (!b.event) return this.lastDropped ? null : b.raw; // the LF of a CRLF follows its event
    this.lastDropped = false;
    const data = b.event.data;
    if (data === null || data === "[DONE]") return b.raw;
    const value = this.read(data);
    if (!this.plan.stripUsageChunk || !isObj(value) || !("usage" in value)) return b.raw;
    const choices = value.choices;
    if (isObj(value.usage) && Array.isArray(choices) && choices.length === 0) {
      this.lastDropped = true;
      return null;
    }
    if (value.usage !== null) return b.raw;
    return withoutNullUsage(b, value);
  }

  private read(data: string): unknown {
    // only JSON objects carry usage; skip the parse for anything else
    if (data.charCodeAt(0) !== 0x7b) return null;
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      return null;
    }
    this.collector.observe(value);
    return value;
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The event without its top-level `"usage":null`: cut out of the bytes when that is certainly the
 * object minus `usage` (the one `"usage"` in the text, at the top level of the object), else checked
 * by parsing the cut text, else the event is written anew.
 */
function withoutNullUsage(b: SseBlock, value: Record<string, unknown>): Buffer {
  const data = b.event!.data!;
  const m = data.match(/,\s*"usage"\s*:\s*null(?=\s*[,}])/g);
  if (m?.length === 1) {
    const raw = b.raw.toString("utf8");
    const at = data.indexOf(m[0]);
    const name = data.indexOf('"usage"');
    const sure = name === data.lastIndexOf('"usage"') && name > at && depthAt(data, at) === 1;
    if (raw.split(m[0]).length === 2 && (sure || sameJson(data.replace(m[0], ""), without(value)))) return Buffer.from(raw.replace(m[0], ""));
  }
  return Buffer.from(serializeSseEvent({ event: b.event!.event, id: b.event!.id, data: JSON.stringify(without(value)) }));
}

const without = (value: Record<string, unknown>): Record<string, unknown> => {
  const { usage: _usage, ...rest } = value;
  return rest;
};

/** How deep `index` is in a JSON text (1: inside the top-level object or array), or -1 inside a string. */
function depthAt(text: string, index: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < index; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return inString ? -1 : depth;
}

function sameJson(text: string, expected: Record<string, unknown>): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(expected);
  } catch {
    return false;
  }
}
