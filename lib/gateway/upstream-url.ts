/**
 * Where a gateway request goes upstream, for each provider type, given the provider's base URL
 * (the catalogue's default, a PROVIDER_BASE_URL_<TYPE> override, or a custom endpoint's URL).
 *
 * OpenAI-compatible endpoints: `{base}/chat/completions`, `/embeddings`, `/models`, except Google
 * (`{base}/openai/…` under `…/v1beta`) and Cohere (`{root}/compatibility/v1/…`).
 *
 * Native: `/native/{route}/{path…}` is mapped so that each provider's official SDK works with its
 * base URL set to `{hub}/api/v1/llm/gateway/native/{route}`. The SDKs put the API's version (and
 * some a fixed prefix) in their paths, while the hub's base URLs end with it, so a path that starts
 * with the base's own tail is sent under the base's root and any other path is appended to the base:
 *
 * | type | base ends with | rooted paths (sent under the root) | e.g. |
 * |---|---|---|---|
 * | anthropic, openai, together, mistral, custom | `/v1` (any version) | `/v…/…` | Anthropic SDK `/v1/messages` → `{base}/messages`; OpenAI SDK `/chat/completions` → `{base}/chat/completions` |
 * | google | `/v1beta` (any version) | `/v…/…`, `/upload/…` | `/v1beta/models/m:generateContent` → `{base}/models/m:generateContent` |
 * | groq | `/openai/v1` | `/openai/v…/…` | Groq SDK `/openai/v1/chat/completions`; OpenAI SDK `/chat/completions` |
 * | openrouter | `/api/v1` | `/api/v…/…` | OpenAI SDK `/chat/completions` |
 * | cohere | nothing (or a version) | every path | Cohere SDK `/v2/chat` → `{base}/v2/chat` |
 *
 * A base that does not end as the table says (an unusual override) gets every path appended.
 */
import type { ProviderType } from "@/lib/providers/catalogue";
import { GatewayError } from "./errors";

export type CompatEndpoint = "chat" | "embeddings" | "models";

const VERSION = /^v\d+[a-z0-9]*$/i;
const COMPAT_PATHS: Record<CompatEndpoint, string> = { chat: "chat/completions", embeddings: "embeddings", models: "models" };

/** The segments of the base path that an SDK repeats in its own paths, per provider type. */
const TAIL: Record<ProviderType, readonly (RegExp | string)[]> = {
  openai: [VERSION],
  anthropic: [VERSION],
  together: [VERSION],
  mistral: [VERSION],
  custom: [VERSION],
  google: [VERSION],
  groq: ["openai", VERSION],
  openrouter: ["api", VERSION],
  cohere: [VERSION],
};

const segmentsOf = (pathname: string): string[] => pathname.split("/").filter((s) => s !== "");
const matches = (seg: string | undefined, rule: RegExp | string): boolean =>
  seg !== undefined && (typeof rule === "string" ? seg.toLowerCase() === rule : rule.test(seg));

function parseBase(baseUrl: string): URL {
  const base = new URL(baseUrl);
  base.search = "";
  base.hash = "";
  return base;
}

/** The base path without the tail the type's SDKs repeat, or null when the base has no such tail. */
function rootSegments(type: ProviderType, baseSegs: string[]): string[] | null {
  const tail = TAIL[type];
  if (baseSegs.length < tail.length) return type === "cohere" ? baseSegs : null;
  const start = baseSegs.length - tail.length;
  const ok = tail.every((rule, i) => matches(baseSegs[start + i], rule));
  if (ok) return baseSegs.slice(0, start);
  return type === "cohere" ? baseSegs : null; // Cohere's default base has no version at all
}

function isRooted(type: ProviderType, pathSegs: string[]): boolean {
  if (type === "cohere") return true;
  if (type === "google" && pathSegs[0] === "upload") return true;
  return TAIL[type].every((rule, i) => matches(pathSegs[i], rule));
}

function withPath(base: URL, segments: string[], trailingSlash: boolean): URL {
  const url = new URL(base.origin);
  url.pathname = `/${segments.join("/")}${trailingSlash && segments.length > 0 ? "/" : ""}`;
  return url;
}

/** compatUrl's answers so far: a few per provider, asked for on every gateway call. */
const compatUrls = new Map<string, Readonly<URL>>();

/**
 * The URL of an OpenAI-compatible endpoint of a provider. Built once per (type, base, endpoint) and
 * shared by every call (two URL parses and the path's rules were ~2% of a call's CPU): read-only,
 * which the type makes the compiler hold callers to.
 */
export function compatUrl(type: ProviderType, baseUrl: string, endpoint: CompatEndpoint): Readonly<URL> {
  const id = `${type} ${endpoint} ${baseUrl}`;
  let url = compatUrls.get(id);
  if (!url) {
    url = buildCompatUrl(type, baseUrl, endpoint);
    if (compatUrls.size >= 1000) compatUrls.clear(); // base URLs are admins' settings: few, but not trusted to be
    compatUrls.set(id, url);
  }
  return url;
}

function buildCompatUrl(type: ProviderType, baseUrl: string, endpoint: CompatEndpoint): URL {
  const base = parseBase(baseUrl);
  let segs = segmentsOf(base.pathname);
  const path = segmentsOf(COMPAT_PATHS[endpoint]);
  if (type === "google") return withPath(base, [...segs, "openai", ...path], false);
  if (type === "cohere") return withPath(base, [...(rootSegments("cohere", segs) ?? segs), "compatibility", "v1", ...path], false);
  // A custom base pasted as its models URL (the key test accepts that too) is the base above it.
  if (type === "custom" && segs.at(-1) === "models") segs = segs.slice(0, -1);
  return withPath(base, [...segs, ...path], false);
}

/**
 * Checks a native path as the client sent it (still %-encoded) and returns its segments: it must
 * not climb out of the provider's base with dot segments (also %2e-encoded ones, which URL parsers
 * treat the same, and ones hidden behind an encoded slash), nor hold backslashes, control
 * characters or broken %-escapes. Other escapes are forwarded as they came.
 */
export function nativePathSegments(rawPath: string): string[] {
  const bad = (why: string) => new GatewayError("invalid_request", `Native path ${why}`);
  if (!rawPath.startsWith("/")) throw bad("must start with '/'");
  if (/[\\\u0000-\u0020\u007f]/.test(rawPath)) throw bad("must not contain backslashes, spaces or control characters");
  const segs = rawPath.slice(1).split("/");
  if (segs.at(-1) === "") segs.pop(); // a trailing slash is kept by nativeUrl, not a segment
  for (const s of segs) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(s);
    } catch {
      throw bad("has an invalid %-escape");
    }
    // `..%2F..` is no dot segment here, but is one to a server that decodes before it normalises
    if (s === "" || decoded.split(/[/\\]/).some((part) => part === "." || part === "..")) {
      throw bad("must not contain empty, '.' or '..' segments");
    }
  }
  if (segs.length === 0) throw bad("is empty");
  return segs;
}

/** The query string forwarded upstream: the client's, minus every `key=` (a key never travels in a URL). */
export function forwardedQuery(search: string): string {
  const q = search.startsWith("?") ? search.slice(1) : search;
  if (q === "") return "";
  const kept = q.split("&").filter((part) => {
    if (part === "") return false;
    const name = part.split("=")[0] ?? "";
    try {
      return decodeURIComponent(name.replace(/\+/g, " ")).trim().toLowerCase() !== "key";
    } catch {
      return false;
    }
  });
  return kept.length > 0 ? `?${kept.join("&")}` : "";
}

/** The upstream URL of a native call: `rawPath` is `/{path…}` after `/native/{route}`, `search` the client's query. */
export function nativeUrl(type: ProviderType, baseUrl: string, rawPath: string, search = ""): URL {
  const base = parseBase(baseUrl);
  const pathSegs = nativePathSegments(rawPath);
  const baseSegs = segmentsOf(base.pathname);
  const root = rootSegments(type, baseSegs);
  const segs = root !== null && isRooted(type, pathSegs) ? [...root, ...pathSegs] : [...baseSegs, ...pathSegs];
  const url = withPath(base, segs, rawPath.endsWith("/"));
  url.search = forwardedQuery(search);
  return url;
}
