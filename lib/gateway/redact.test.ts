import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keyForms, REDACTED, Redactor } from "./redact";

const KEY = "sk-proj-ab/cd+ef=SECRET0123456789";

/** Feeds `text` to a stream redactor cut at `cuts`; returns the chunks it let out. */
function streamed(r: Redactor, text: string, cuts: number[]): Buffer[] {
  const s = r.stream();
  const bytes = Buffer.from(text);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    out.push(s.push(bytes.subarray(from, p)));
    from = p;
  }
  out.push(s.end());
  return out;
}

describe("keyForms", () => {
  it("the key, its JSON escapes and its URL encoding, longest first", () => {
    const forms = keyForms(KEY).map(String);
    expect(forms).toEqual(expect.arrayContaining([KEY, "sk-proj-ab\\/cd+ef=SECRET0123456789", encodeURIComponent(KEY)]));
    expect(forms.map((f) => f.length)).toEqual([...forms.map((f) => f.length)].sort((a, b) => b - a));
    expect(keyForms("plainKey0123456789").map(String)).toEqual(["plainKey0123456789"]);
    expect(keyForms(null)).toEqual([]);
  });
});

describe("Redactor", () => {
  const r = new Redactor(KEY);

  it("whole strings and buffers: every form, every occurrence", () => {
    const text = `{"error":{"message":"Incorrect API key provided: ${KEY}. ${JSON.stringify(KEY).slice(1, -1).replace(/\//g, "\\/")} ?key=${encodeURIComponent(KEY)} ${KEY}"}}`;
    const out = r.redactString(text);
    for (const f of keyForms(KEY).map(String)) expect(out).not.toContain(f);
    expect(out.split(REDACTED)).toHaveLength(5);
    expect(JSON.parse(out).error.message).toContain("Incorrect API key provided: [redacted].");
    expect(r.redactBuffer(Buffer.from(text)).toString()).toBe(out);
  });

  it("returns the same buffer untouched when there is nothing to redact, and with no key", () => {
    const b = Buffer.from("nothing here");
    expect(r.redactBuffer(b)).toBe(b);
    const none = new Redactor(null);
    expect(none.redactString(`x ${KEY}`)).toBe(`x ${KEY}`);
    expect(none.stream().push(b)).toBe(b);
  });

  it("stream: a key cut anywhere across chunks is still redacted", () => {
    const text = `data: {"message":"bad key ${KEY}"}\n\nmore ${KEY}${KEY} tail`;
    const whole = r.redactString(text);
    for (let cut = 0; cut <= text.length; cut++) {
      expect(Buffer.concat(streamed(r, text, [cut])).toString(), `cut at ${cut}`).toBe(whole);
    }
  });

  it("stream: any chunking of any text gives the whole-text result and never lets a key out", () => {
    const piece = fc.constantFrom(KEY, KEY.slice(0, 5), KEY.slice(3), "sk-", "s", "\n\n", "data: ", "}", "x", JSON.stringify(KEY).slice(1, -1).replace(/\//g, "\\/"), "é");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 8 }), (pieces, cuts) => {
        const text = pieces.join("");
        const joined = Buffer.concat(streamed(r, text, cuts));
        return joined.toString() === r.redactString(text) && keyForms(KEY).every((f) => joined.indexOf(f) < 0);
      }),
      { numRuns: 3000 },
    );
  });

  it("stream: holds back only what could start a key, so an SSE event or a JSON object passes at once", () => {
    const s = r.stream();
    expect(s.push(Buffer.from('data: {"a":1}\n\n')).toString()).toBe('data: {"a":1}\n\n');
    expect(s.push(Buffer.from('{"message":"key sk-pr')).toString()).toBe('{"message":"key ');
    expect(s.push(Buffer.from("oj-ab/cd+ef=SECRET0123456789 done\"}")).toString()).toBe('sk-proj-ab/cd+ef=SECRET0123456789 done"}'.replace(KEY, REDACTED));
    expect(s.push(Buffer.from("ends with s")).toString()).toBe("ends with ");
    expect(s.end().toString()).toBe("s");
  });
});

describe("Redactor per key", () => {
  it("each redactor removes its own key and no other, whichever was made before", () => {
    const keys = Array.from({ length: 40 }, (_, i) => `sk-proj-key${i}/${"x".repeat(i % 7)}+SECRET${i}`);
    // twice over: redactors made again for keys met before
    for (let pass = 0; pass < 2; pass++) {
      for (const [i, key] of keys.entries()) {
        const other = keys[(i + 1) % keys.length]!;
        const r = new Redactor(key);
        const text = `a ${key} b ${encodeURIComponent(key)} c ${other}`;
        expect(r.redactString(text), key).toBe(`a ${REDACTED} b ${REDACTED} c ${other}`);
        expect(r.redactBuffer(Buffer.from(text)).toString(), key).toBe(`a ${REDACTED} b ${REDACTED} c ${other}`);
      }
    }
    expect(new Redactor(null).redactString(`x ${keys[0]}`)).toBe(`x ${keys[0]}`);
  });
});
