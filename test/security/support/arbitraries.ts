/**
 * fast-check generators for hostile input: strings (unicode, control characters, null bytes, lone
 * surrogates, huge), JSON values, near-valid objects with one or more fields broken (wrong types,
 * prototype-pollution keys, duplicate keys), raw non-JSON bodies, content types, ids and headers.
 * Bodies are produced as JSON TEXT so that keys like "__proto__" and duplicates reach the server as sent.
 */
import fc from "fast-check";

export const PROTO_KEYS = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "role", "isAdmin"];

const NASTY = [
  "", " ", "\u0000", "a\u0000b", "\t\n\r", "\u202e", "\u200b", "\ufeff", "\ud800", "\udfff", "😀", "\u{10ffff}", "ｏｐｅｎａｉ",
  "İ", "' or '1'='1", "'; drop table users; --", "${7*7}", "{{7*7}}", "../../etc/passwd", "..\\..\\", "%00", "%2e%2e%2f",
  "<script>alert(1)</script>", "null", "undefined", "NaN", "true", "0", "-1", "1e309", "__proto__", "constructor",
  "OPENAI", " openai ", "openai\u0000", "openai\n", "custom", "Custom Endpoint",
];

const huge = fc
  .tuple(fc.constantFrom(101, 2049, 4097, 20_000, 70_000), fc.constantFrom("a", "é", "😀", "\u0000", " "))
  .map(([n, c]) => c.repeat(n));

export const anyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string() },
  { weight: 3, arbitrary: fc.string({ unit: "binary" }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: huge },
);

export const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  anyString,
  fc.integer(),
  fc.constantFrom(0, -0, 1.5, -1001, 1001, 2 ** 53, -(2 ** 31), 1e308),
  fc.boolean(),
  fc.constant(null),
  fc.array(anyJson, { maxLength: 4 }),
  fc.dictionary(fc.oneof(fc.string(), fc.constantFrom(...PROTO_KEYS)), anyJson, { maxKeys: 4 }),
  anyJson,
);

/** A field of a near-valid object: how a good value and a bad one are made, and whether it may be absent. */
export interface FieldSpec {
  valid: fc.Arbitrary<unknown>;
  invalid?: fc.Arbitrary<unknown>;
  optional?: boolean;
}

type Entry = [key: string, value: unknown];

/** JSON text of an object given as entries (keeps "__proto__" and duplicate keys). */
export const objectText = (entries: Entry[]) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? "null"}`).join(",")}}`;

/**
 * Objects with the right fields where each one is good, bad, missing or null, plus sometimes extra
 * keys (prototype-pollution names, random names) or a duplicated field. Returns JSON text.
 */
export function nearValid(spec: Record<string, FieldSpec>, badWeight = 1): fc.Arbitrary<string> {
  const fields = Object.entries(spec).map(([name, f]) => {
    const choices: fc.WeightedArbitrary<Entry[]>[] = [
      { weight: 3, arbitrary: f.valid.map((v): Entry[] => [[name, v]]) },
      { weight: badWeight * 2, arbitrary: (f.invalid ?? anyValue).map((v): Entry[] => [[name, v]]) },
      { weight: f.optional ? 1 : badWeight, arbitrary: fc.constant<Entry[]>([]) },
      // null is "absent" for an optional field and wrong for a required one (old clients send it)
      { weight: 1, arbitrary: fc.constant<Entry[]>([[name, null]]) },
    ];
    return fc.oneof(...choices);
  });
  const extras = fc.array(
    fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS, ...Object.keys(spec)), fc.string()), fc.oneof(anyJson, fc.constant({ role: "admin", isAdmin: true }))),
    { maxLength: 2 },
  );
  return fc
    .tuple(fc.tuple(...fields), fc.oneof({ weight: 3, arbitrary: fc.constant<Entry[]>([]) }, { weight: 1, arbitrary: extras }), fc.boolean())
    .map(([parts, extra, extraFirst]) => {
      const own = parts.flat();
      return objectText(extraFirst ? [...(extra as Entry[]), ...own] : [...own, ...(extra as Entry[])]);
    });
}

/** Bodies that are not a JSON object: garbage, truncated or trailing-garbage JSON, forms, deep nesting. */
export const rawBody: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary" }),
  anyJson.map((v) => JSON.stringify(v)).chain((s) => fc.nat({ max: Math.max(0, s.length - 1) }).map((n) => s.slice(0, n))),
  anyJson.map((v) => `${JSON.stringify(v)}}garbage`),
  anyJson.filter((v) => typeof v !== "object" || v === null || Array.isArray(v)).map((v) => JSON.stringify(v)),
  fc.constantFrom(
    "{", "}", "[]", "null", "true", "0", '""', "{'a':1}", "{a:1}", '{"a":1,}', "\ufeff{}", "NaN", " ", "\n\t", "\u0000",
    "[".repeat(20_000) + "]".repeat(20_000),
    '{"a":'.repeat(8_000) + "1" + "}".repeat(8_000),
    "provider_type=openai&api_key=sk-proj-abcdefghijk",
    "--x\r\nContent-Disposition: form-data; name=\"provider_type\"\r\n\r\nopenai\r\n--x--",
    `{"provider_type":"openai","api_key":"${"a".repeat(70_000)}"}`,
  ),
);

/** What fetch will put in a header: printable ASCII and tabs, no surrounding whitespace. */
export const sendable = (s: string) => s.replace(/[^\t\x20-\x7e]/g, "").trim();

export const JSON_TYPES = ["application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "application/vnd.api+json", "application/merge-patch+json"];
export const NON_JSON_TYPES = [
  "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/json",
  "application/jsonp", "application/json5", "", "application/xml", "*/*", "json", "application/json-seq", "application/javascript",
];
/** Whether the app reads a body sent with this Content-Type (its own rule, restated). */
export const isJsonType = (t: string) => /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(t);
export const contentType: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...JSON_TYPES, ...NON_JSON_TYPES),
  fc.string({ unit: "binary-ascii", maxLength: 40 }).map(sendable),
);

/** Path ids: unknown UUIDs, unicode, traversal, encodings, very long. */
export const idArb: fc.Arbitrary<string> = fc.oneof(
  fc.uuid(),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.uuid().map((u) => `${u}\u0000`),
  fc.uuid().map((u) => ` ${u}`),
  fc.uuid().chain((u) => fc.constantFrom(`${u}/x`, `${u}.json`, `{${u}}`, u.replace(/-/g, ""))),
  fc.string({ unit: "binary", minLength: 1 }),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }),
  fc.constantFrom("..", "../", "../..", "../../info", "..%2f", "%2e%2e", ".", "%00", "null", "0", "-1", "' or 1=1--", "a/b", "\\..\\", "%", "%2F", "😀"),
  fc.constantFrom(300, 1500, 3000).map((n) => "a".repeat(n)),
);

/** A path with `id` appended: percent-encoded (always reaches the {id} route) or as-is (the URL parser decides). */
export function idPath(base: string, id: string, raw: boolean): string {
  if (raw) return `${base}/${id}`;
  return `${base}/${encodeURIComponent(id.toWellFormed())}`;
}

/** Whether a path holds a %-escape that does not decode (a stray "%", or bytes that are not UTF-8). */
export function hasBadEscape(path: string): boolean {
  try {
    decodeURIComponent(new URL(path, "http://x").pathname);
    return false;
  } catch {
    return true;
  }
}

const HEADER_NAMES = [
  "accept", "accept-language", "accept-encoding", "range", "if-none-match", "if-modified-since", "x-forwarded-for",
  "x-forwarded-host", "x-forwarded-proto", "x-real-ip", "forwarded", "x-http-method-override", "x-middleware-subrequest",
  "x-nextjs-data", "rsc", "next-router-state-tree", "next-router-prefetch", "next-action", "x-invoke-path", "x-matched-path",
  "authorization", "x-api-key", "cache-control", "x-requested-with", "referer",
];

/** A header value fetch will send: printable ASCII and tabs, no CR/LF/NUL, up to a few KB. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary-ascii", maxLength: 60 }),
  fc.constantFrom("*/*", "bytes=0-1", "1", "0", "DELETE", "1.2.3.4, 5.6.7.8", "::1", "localhost", "Bearer x", "middleware:middleware:middleware"),
  fc.constantFrom(1000, 2500).map((n) => "x".repeat(n)), // four of these stay under Node's 16 KiB of headers
).map(sendable);

export const oddHeaders: fc.Arbitrary<Record<string, string>> = fc.dictionary(fc.constantFrom(...HEADER_NAMES), headerValue, { maxKeys: 4 });

/** A Cookie header: many cookies, huge values, garbage session_token values. */
export const cookieHeader: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.tuple(fc.stringMatching(/^[A-Za-z_]{1,12}$/), fc.stringMatching(/^[A-Za-z0-9%._-]{0,40}$/)), { maxLength: 200 }).map((pairs) =>
    pairs.map(([k, v]) => `${k}=${v}`).join("; "),
  ),
  fc.stringMatching(/^[A-Za-z0-9%._~*-]{0,300}$/).map((v) => `session_token=${v}`),
  fc.constantFrom(5000, 12_000).map((n) => `session_token=${"A".repeat(n)}`),
  fc.string({ unit: "binary-ascii", maxLength: 200 }).map(sendable),
);

/** Query strings: random pairs, repeated, huge, unicode. */
export const queryString: fc.Arbitrary<string> = fc.oneof(
  fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ unit: "binary", maxLength: 40 }), { maxKeys: 5 }).map((d) => `?${new URLSearchParams(d)}`),
  fc.constantFrom("?", "?&&&", "?a", "?__proto__[role]=admin", "?constructor.prototype.role=admin", "?id=../../", "?x=%zz", "?x=%00", "?limit=-1&offset=1e9", `?q=${"a".repeat(3000)}`,
    "?since=not-a-date", "?since=2026-01-01T00:00:00Z", "?since=9999-12-31T23:59:59Z", "?since=%00", "?since=-1", "?since=1970-01-01T00:00:00.000Z"),
);
