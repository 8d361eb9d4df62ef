/**
 * Removes a provider key from what the hub sends back: providers and proxies echo keys in error
 * messages and headers. Every spelling a body could carry is looked for: the key itself, its JSON
 * string escape (also with `/` written `\/`, as PHP-style encoders do), and its URL encoding.
 */

export const REDACTED = "[redacted]";
const REPLACEMENT = Buffer.from(REDACTED);

/** The distinct byte strings a key can appear as, longest first. Empty for no key. */
export function keyForms(key: string | null): Buffer[] {
  if (!key) return [];
  const json = JSON.stringify(key).slice(1, -1);
  const forms = new Set([key, json, json.replace(/\//g, "\\/"), encodeURIComponent(key)]);
  return [...forms].map((f) => Buffer.from(f, "utf8")).sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of each needle; returns the same buffer when there is none. */
function replaceAll(buf: Buffer, needles: readonly Buffer[]): Buffer {
  let out = buf;
  for (const n of needles) {
    let at = out.indexOf(n);
    if (at < 0) continue;
    const parts: Buffer[] = [];
    let from = 0;
    while (at >= 0) {
      parts.push(out.subarray(from, at), REPLACEMENT);
      from = at + n.length;
      at = out.indexOf(n, from);
    }
    parts.push(out.subarray(from));
    out = Buffer.concat(parts);
  }
  return out;
}

/**
 * Removes one key from complete texts and, through stream(), from chunked bodies. Its forms are
 * built once: the gateway keeps a redactor with each decrypted key (lib/gateway/targets.ts), so a
 * call does not build them again, and the redactor goes when its key's row does.
 */
export class Redactor {
  readonly needles: readonly Buffer[];
  private readonly strings: readonly string[];

  constructor(key: string | null) {
    this.needles = keyForms(key);
    this.strings = this.needles.map((n) => n.toString("utf8"));
  }

  /** A complete piece of text (a header value, a whole body). */
  redactString(s: string): string {
    let out = s;
    for (const n of this.strings) if (out.includes(n)) out = out.split(n).join(REDACTED);
    return out;
  }

  redactBuffer(buf: Buffer): Buffer {
    return this.needles.length === 0 ? buf : replaceAll(buf, this.needles);
  }

  /** A redactor for a body that arrives in chunks (see StreamRedactor). */
  stream(): StreamRedactor {
    return new StreamRedactor(this.needles);
  }
}

/**
 * Redacts a body chunk by chunk, across chunk boundaries, holding back as little as possible: only
 * the end of a chunk that could be the start of a key waits for the next chunk. A chunk that ends
 * in anything a key cannot start with (an SSE event's blank line, a JSON `}`) passes whole, so this
 * never delays an SSE event.
 */
export class StreamRedactor {
  private held: Buffer = Buffer.alloc(0);

  constructor(private readonly needles: readonly Buffer[]) {}

  /** The bytes that can go out now. */
  push(chunk: Buffer): Buffer {
    if (this.needles.length === 0) return chunk;
    const buf = replaceAll(this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk, this.needles);
    const hold = this.partialAtEnd(buf);
    this.held = hold > 0 ? Buffer.from(buf.subarray(buf.length - hold)) : Buffer.alloc(0);
    return hold > 0 ? buf.subarray(0, buf.length - hold) : buf;
  }

  /** What was held back, at the end of the body (it holds no whole key). */
  end(): Buffer {
    const rest = this.held;
    this.held = Buffer.alloc(0);
    return rest;
  }

  /** Length of the longest suffix of `buf` that is a proper prefix of a needle. */
  private partialAtEnd(buf: Buffer): number {
    let longest = 0;
    for (const n of this.needles) {
      const first = n[0]!;
      // the leftmost candidate start is the longest suffix
      for (let i = buf.indexOf(first, Math.max(0, buf.length - n.length + 1)); i >= 0 && buf.length - i > longest; i = buf.indexOf(first, i + 1)) {
        if (buf.compare(n, 0, buf.length - i, i) === 0) {
          longest = buf.length - i;
          break;
        }
      }
    }
    return longest;
  }
}
