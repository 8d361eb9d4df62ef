import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { serializeSseEvent, SseParser, type SseBlock, type SseEvent } from "./sse";

/** Parses `text` fed in pieces cut at `cuts`; returns the blocks and the unfinished rest. */
function parse(text: string | Buffer, cuts: number[] = []): { blocks: SseBlock[]; rest: SseBlock | null } {
  const p = new SseParser();
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const blocks: SseBlock[] = [];
  let from = 0;
  for (const at of [...points, bytes.length]) {
    blocks.push(...p.push(bytes.subarray(from, at)));
    from = at;
  }
  return { blocks, rest: p.end() };
}
const events = (blocks: SseBlock[]) => blocks.filter((b) => b.event).map((b) => b.event!);

describe("SseParser", () => {
  it("data, event, id, retry, comments, multi-line data, the one optional space", () => {
    const { blocks, rest } = parse(": keep-alive\n\nevent: message_start\ndata: {\"a\":1}\n\nid: 7\nretry: 1500\ndata:line1\ndata:  line2\ndata\n\n");
    expect(rest).toBeNull();
    expect(events(blocks)).toEqual([
      { event: null, data: null, id: null, retry: null },
      { event: "message_start", data: '{"a":1}', id: null, retry: null },
      { event: null, data: "line1\n line2\n", id: "7", retry: 1500 },
    ]);
    expect(Buffer.concat(blocks.map((b) => b.raw)).toString()).toContain("data:  line2");
  });

  it("CRLF, CR and LF line ends; raw bytes are kept exactly", () => {
    const text = "data: a\r\n\r\ndata: b\r\rdata: c\n\n";
    const { blocks } = parse(text);
    expect(events(blocks).map((e) => e.data)).toEqual(["a", "b", "c"]);
    expect(blocks.map((b) => b.raw.toString())).toEqual(["data: a\r\n\r\n", "data: b\r\r", "data: c\n\n"]);
  });

  it("a CRLF cut between its CR and LF: the event goes at the CR, the LF follows as eventless bytes", () => {
    const p = new SseParser();
    const first = p.push(Buffer.from("data: x\r\n\r"));
    expect(first).toHaveLength(1);
    expect(first[0]!.event?.data).toBe("x");
    const second = p.push(Buffer.from("\ndata: y\r\n\r\n"));
    expect(second.map((b) => [b.raw.toString(), b.event?.data ?? null])).toEqual([
      ["\n", null],
      ["data: y\r\n\r\n", "y"],
    ]);
  });

  it("hands an event back as soon as its blank line arrives, never later", () => {
    const p = new SseParser();
    expect(p.push(Buffer.from('data: {"x":'))).toEqual([]);
    expect(p.pendingBytes).toBe(11);
    expect(p.push(Buffer.from("1}\n"))).toEqual([]);
    expect(p.push(Buffer.from("\n")).map((b) => b.event?.data)).toEqual(['{"x":1}']);
    expect(p.pendingBytes).toBe(0);
  });

  it("an event cut off by the end of the stream comes back from end()", () => {
    const { blocks, rest } = parse("data: done\n\ndata: half");
    expect(events(blocks).map((e) => e.data)).toEqual(["done"]);
    expect(rest?.raw.toString()).toBe("data: half");
    expect(rest?.event?.data).toBe("half");
  });

  it("a UTF-8 BOM at the start is skipped, also when it arrives a byte at a time; multi-byte text split anywhere", () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("data: héllo ✓\n\n")]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const { blocks } = parse(bytes, [1, 2, cut]);
      expect(events(blocks)).toEqual([{ event: null, data: "héllo ✓", id: null, retry: null }]);
    }
  });

  it("any chunking gives the same events and the same bytes (property)", () => {
    const line = fc.constantFrom("data: a", "data:b", "data", "event: e", ": c", "id: 1", "retry: 5", "data: ✓ x", "");
    const eol = fc.constantFrom("\n", "\r\n", "\r");
    const stream = fc.array(fc.tuple(line, eol), { maxLength: 20 }).map((ls) => ls.map(([l, e]) => l + e).join(""));
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 10 }), (text, cuts) => {
        const whole = parse(text);
        const cut = parse(text, cuts);
        const bytes = (r: ReturnType<typeof parse>) => Buffer.concat([...r.blocks.map((b) => b.raw), r.rest?.raw ?? Buffer.alloc(0)]).toString();
        return JSON.stringify(events(cut.blocks)) === JSON.stringify(events(whole.blocks)) && bytes(cut) === text && bytes(whole) === text;
      }),
      { numRuns: 3000 },
    );
  });
});

describe("serializeSseEvent", () => {
  it("writes one data: line per line of data", () => {
    expect(serializeSseEvent({ event: "error", data: "a\nb" })).toBe("event: error\ndata: a\ndata: b\n\n");
    expect(serializeSseEvent({ comment: " ping" })).toBe(": ping\n\n");
  });

  it("parse(serialize(e)) is e (property)", () => {
    const text = fc.string({ unit: fc.constantFrom("a", " ", ":", "{", "✓", "\n", "x") });
    const oneLine = fc.string({ unit: fc.constantFrom("a", " ", ":", "✓", "-"), minLength: 1 }).filter((s) => !s.startsWith(" "));
    fc.assert(
      fc.property(fc.option(oneLine, { nil: null }), text, fc.option(fc.nat(), { nil: null }), (event, data, retry) => {
        const e: SseEvent = { event, data, id: null, retry };
        const { blocks, rest } = parse(serializeSseEvent(e));
        return rest === null && blocks.length === 1 && JSON.stringify(blocks[0]!.event) === JSON.stringify(e);
      }),
      { numRuns: 2000 },
    );
  });
});
