/**
 * Which headers cross the hub, each way.
 *
 * Upstream: the client's headers minus hop-by-hop ones, every credential a client can send (its hub
 * key in any of the four headers, cookies), what describes the client's connection to the hub
 * (host, x-forwarded-*, forwarded, origin, referer) and the hub's own; the body's length is set
 * anew, `accept-encoding: identity` asks for a body the hub can read (to redact it and find usage),
 * and the provider's own credential is set in the provider's own header.
 *
 * Back to the client: the provider's headers (content-type, retry-after, rate limits, request ids…)
 * minus hop-by-hop ones, cookies, length and encoding (the hub may change the body and decodes it),
 * redirects (the hub never sends a client to the provider) and the provider's browser policies,
 * with any occurrence of the key redacted.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { ProviderType } from "@/lib/providers/catalogue";
import { ANTHROPIC_VERSION } from "@/lib/providers/requests";
import { HUB_KEY_HEADERS } from "@/lib/hub-keys/token";
import type { Redactor } from "./redact";
import type { HeaderReader } from "./request";

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "proxy-authorization", "proxy-authenticate", "http2-settings"]);

const NOT_FORWARDED = new Set([
  ...HUB_KEY_HEADERS,
  "cookie",
  "host",
  "content-length",
  "expect",
  "accept-encoding",
  "forwarded",
  "x-real-ip",
  "via",
  "origin",
  "referer",
]);
const NOT_FORWARDED_PREFIXES = ["x-forwarded-", "x-llmhub-", "x-middleware-", "x-invoke-", "x-nextjs-"];

const NOT_RETURNED = new Set([
  "set-cookie",
  "set-cookie2",
  "content-length",
  "content-encoding",
  "location",
  "alt-svc",
  "strict-transport-security",
  "content-security-policy",
  "content-security-policy-report-only",
  "x-frame-options",
  "report-to",
  "nel",
]);

const NONE_LISTED: ReadonlySet<string> = new Set();
/** `Connection: keep-alive` or `close` (nearly every request and answer) lists no header to drop. */
const LISTS_NO_HEADER = /^[\t ]*(?:keep-alive|close)[\t ]*$/i;

/** Header names the Connection header lists are hop-by-hop too. */
function connectionListed(value: string | null | undefined): ReadonlySet<string> {
  if (!value || LISTS_NO_HEADER.test(value)) return NONE_LISTED;
  return new Set(value.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean));
}

export interface UpstreamHeaderInput {
  providerType: ProviderType;
  apiKey: string | null;
  upstreamUrl: Readonly<URL>;
  /** Bytes of the body sent upstream, or null for none. */
  bodyLength: number | null;
  /** Set when the hub wrote the body itself (JSON). */
  contentType?: string;
}

/** How the provider reads its key on this URL. */
function providerAuth(type: ProviderType, url: Readonly<URL>, key: string): Record<string, string> {
  if (type === "anthropic") return { "x-api-key": key };
  // Gemini's own API takes x-goog-api-key; its OpenAI-compatible API under /openai/ a bearer token.
  if (type === "google" && !/\/openai(\/|$)/.test(url.pathname)) return { "x-goog-api-key": key };
  return { authorization: `Bearer ${key}` };
}

/** The headers sent upstream. */
export function upstreamRequestHeaders(client: HeaderReader, input: UpstreamHeaderInput): Record<string, string> {
  const listed = connectionListed(client.get("connection"));
  const out: Record<string, string> = {};
  client.forEach((value, name) => {
    if (HOP_BY_HOP.has(name) || NOT_FORWARDED.has(name) || listed.has(name)) return;
    if (NOT_FORWARDED_PREFIXES.some((p) => name.startsWith(p))) return;
    out[name] = value;
  });
  if (input.contentType) out["content-type"] = input.contentType;
  if (input.bodyLength !== null) out["content-length"] = String(input.bodyLength);
  out["accept-encoding"] = "identity";
  if (input.providerType === "anthropic" && !out["anthropic-version"]) out["anthropic-version"] = ANTHROPIC_VERSION;
  if (input.apiKey) Object.assign(out, providerAuth(input.providerType, input.upstreamUrl, input.apiKey));
  return out;
}

/** A value a Web `Headers` would refuse (NUL, CR or LF): such a value is dropped. */
const UNSENDABLE = /[\0\r\n]/;
/** Whitespace a Web `Headers` trims off a value's ends. */
const OUTER_SPACE = /^[\t ]+|[\t ]+$/g;

/**
 * The headers returned to the client, from the provider's answer, as a `Headers` built from them
 * would hold them (lowercase names, a name's values combined with ", ", values trimmed, values it
 * would refuse dropped: Node's parser is more lenient), without building one.
 */
export function clientResponseHeaders(upstream: IncomingHttpHeaders, redactor: Redactor): Map<string, string> {
  const listed = connectionListed(typeof upstream.connection === "string" ? upstream.connection : undefined);
  const out = new Map<string, string>();
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined || HOP_BY_HOP.has(name) || NOT_RETURNED.has(name) || listed.has(name)) continue;
    for (const raw of Array.isArray(value) ? value : [value]) {
      const v = redactor.redactString(raw).replace(OUTER_SPACE, "");
      if (UNSENDABLE.test(v)) continue;
      const before = out.get(name);
      out.set(name, before === undefined ? v : `${before}, ${v}`);
    }
  }
  return out;
}
