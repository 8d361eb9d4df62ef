/**
 * Server-sent events, incrementally, as the WHATWG spec reads them: lines end in CRLF, LF or CR, a
 * blank line ends an event, `data:` lines join with "\n", lines starting with ":" are comments, one
 * space after the colon is dropped. The parser hands back each event's exact bytes with its fields,
 * so the hub can pass events on untouched, drop one, or rewrite one; it never waits for more than
 * the event in hand.
 */

export interface SseEvent {
  /** The `event:` field, or null. */
  event: string | null;
  /** The `data:` lines joined with "\n"; null when the block had none (a comment or keep-alive). */
  data: string | null;
  id: string | null;
  retry: number | null;
}

export interface SseBlock {
  /** The bytes as received: the event's lines and the blank line that ended it. */
  raw: Buffer;
  /** Null for bytes that carry no event (a line terminator's LF that arrived after its CR). */
  event: SseEvent | null;
}

const LF = 0x0a;
const CR = 0x0d;
const utf8 = new TextDecoder("utf-8");

export class SseParser {
  private buf: Buffer = Buffer.alloc(0);
  /** How far `buf` has been read into lines. */
  private scanned = 0;
  private lineStart = 0;
  /** The last byte read was a CR ending a line: an LF right after it belongs to the same line break. */
  private afterCr = false;
  private bomChecked = false;
  private fields: SseEvent = blank();

  /** Bytes of the event in hand, not yet handed back. */
  get pendingBytes(): number {
    return this.buf.length;
  }

  /** Feeds bytes; returns every block they completed. */
  push(chunk: Buffer): SseBlock[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: SseBlock[] = [];
    const buf = this.buf;
    if (!this.bomChecked) this.skipBom(buf);
    let blockStart = 0;
    for (let i = this.scanned; i < buf.length; i++) {
      const b = buf[i];
      if (b !== LF && b !== CR) {
        this.afterCr = false;
        continue;
      }
      if (b === LF && this.afterCr) {
        // the LF of a CRLF whose CR already ended the line (and perhaps the event)
        this.afterCr = false;
        if (this.lineStart === i) this.lineStart = i + 1;
        if (i === blockStart) {
          out.push({ raw: buf.subarray(i, i + 1), event: null });
          blockStart = this.lineStart = i + 1;
        }
        continue;
      }
      this.afterCr = b === CR;
      if (i === this.lineStart) {
        // a blank line: the event ends here (with the LF of a CRLF, when it is already here)
        if (b === CR && buf[i + 1] === LF) {
          i++;
          this.afterCr = false;
        }
        out.push({ raw: buf.subarray(blockStart, i + 1), event: this.fields });
        this.fields = blank();
        blockStart = this.lineStart = i + 1;
      } else {
        this.readLine(buf.subarray(this.lineStart, i));
        this.lineStart = i + 1;
      }
    }
    this.buf = blockStart > 0 ? buf.subarray(blockStart) : buf;
    this.lineStart -= blockStart;
    this.scanned = this.buf.length;
    return out;
  }

  /**
   * At the end of the stream: the bytes of an unfinished event, if any. Per the spec an event cut
   * off before its blank line is not dispatched, so the fields are handed back only for the record.
   */
  end(): SseBlock | null {
    if (this.buf.length === 0) return null;
    if (this.lineStart < this.buf.length) this.readLine(this.buf.subarray(this.lineStart));
    const block = { raw: this.buf, event: this.fields };
    this.buf = Buffer.alloc(0);
    this.scanned = this.lineStart = 0;
    this.fields = blank();
    return block;
  }

  /** A UTF-8 byte order mark at the very start of the stream is not part of the first line. */
  private skipBom(buf: Buffer): void {
    const bom = [0xef, 0xbb, 0xbf];
    const n = Math.min(buf.length, 3);
    for (let i = 0; i < n; i++) {
      if (buf[i] !== bom[i]) {
        this.bomChecked = true;
        return;
      }
    }
    if (buf.length < 3) return; // maybe a BOM: decide with the next bytes
    this.bomChecked = true;
    this.lineStart = 3;
    this.scanned = Math.max(this.scanned, 3);
  }

  private readLine(line: Buffer): void {
    if (line[0] === 0x3a) return; // ":" comment
    const text = utf8.decode(line);
    const colon = text.indexOf(":");
    const name = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    const f = this.fields;
    if (name === "data") f.data = f.data === null ? value : `${f.data}\n${value}`;
    else if (name === "event") f.event = value;
    else if (name === "id" && !value.includes("\u0000")) f.id = value;
    else if (name === "retry" && /^\d+$/.test(value)) f.retry = Number(value);
  }
}

function blank(): SseEvent {
  return { event: null, data: null, id: null, retry: null };
}

/** One event as text (LF line ends, one `data:` line per line of data). */
export function serializeSseEvent(e: Partial<SseEvent> & { comment?: string }): string {
  let out = "";
  if (e.comment !== undefined) for (const l of e.comment.split(/\r\n|\r|\n/)) out += `:${l}\n`;
  if (e.event != null) out += `event: ${e.event}\n`;
  if (e.id != null) out += `id: ${e.id}\n`;
  if (e.retry != null) out += `retry: ${e.retry}\n`;
  if (e.data != null) for (const l of e.data.split(/\r\n|\r|\n/)) out += `data: ${l}\n`;
  return `${out}\n`;
}
