/**
 * The inference endpoints of the fake, at each provider's real path under the base URL the fake
 * advertises (`baseUrls`, what PROVIDER_BASE_URL_<TYPE> holds):
 *
 * - OpenAI-compatible `POST {base}/chat/completions` and `/embeddings`: openai, groq (chat only),
 *   together, mistral, custom, openrouter (chat only), anthropic's OpenAI SDK compatibility layer
 *   (chat only, under its /v1 base), google `{base}/openai/…` (also `GET {base}/openai/models`),
 *   cohere `{base}/compatibility/v1/…`.
 * - Anthropic Messages `POST {anthropic base}/messages`: the key in x-api-key or as a bearer token
 *   (the Anthropic SDK sends the latter since API version 2026-10-21), and anthropic-version.
 * - Gemini `POST {google base}/models/{model}:generateContent` and `:streamGenerateContent`
 *   (`?alt=sse` for SSE), with the key in x-goog-api-key or, as Google also accepts, `?key=` (the
 *   record's keyInUrl says which a client used).
 *
 * Keys choose behaviours exactly as on the key-test routes (server.ts), plus `echokey`; the model
 * name chooses the rest (controls.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ProviderType } from "../../lib/providers/catalogue";
import { behaviourFor } from "./controls";
import { CLOUDFLARE_502, FAILURES, type FailureKind, type FakeResponse } from "./error-bodies";
import { successAnswer, type Ask, type InferenceKind } from "./inference-answers";
import { badRequest, echoKey, inferenceFailure, requestIdHeader, twoCredentials, type Surface } from "./inference-errors";
import { newRecord, sendAnswer, watchClient, type Answer, type InferenceRecord, type TimerSet } from "./respond";

export interface InferenceContext {
  latencyMs(): number;
  revoked: ReadonlySet<string>;
  timers: TimerSet;
  /** Records the request (credentials redacted) and returns the record to complete. */
  record(req: IncomingMessage, url: URL, provider: ProviderType, headerKey: string | null): { inference?: InferenceRecord };
}

interface Endpoint {
  provider: ProviderType;
  surface: Surface;
  kind: InferenceKind | "absent";
  /** Gemini's model, from the path. */
  pathModel?: string;
}

/** Where each provider's OpenAI-compatible API lives, and which of its endpoints exist. */
const COMPAT: readonly { provider: ProviderType; base: string; embeddings: boolean }[] = [
  { provider: "openai", base: "/openai/v1", embeddings: true },
  { provider: "groq", base: "/groq/openai/v1", embeddings: false },
  { provider: "together", base: "/together/v1", embeddings: true },
  { provider: "mistral", base: "/mistral/v1", embeddings: true },
  { provider: "custom", base: "/custom/v1", embeddings: true },
  { provider: "openrouter", base: "/openrouter/api/v1", embeddings: false },
  { provider: "anthropic", base: "/anthropic/v1", embeddings: false },
  { provider: "google", base: "/google/v1beta/openai", embeddings: true },
  { provider: "cohere", base: "/cohere/compatibility/v1", embeddings: true },
];

/** The base URL an OpenAI SDK is given for each provider's compatible API on a fake at `origin`. */
export function compatBaseUrls(origin: string): Record<ProviderType, string> {
  return Object.fromEntries(COMPAT.map((c) => [c.provider, `${origin}${c.base}`])) as Record<ProviderType, string>;
}

const GEMINI = /^\/google\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;
const MAX_BODY = 32 * 1024 * 1024;

export function matchInference(method: string, path: string): Endpoint | null {
  if (method === "POST" && path === "/anthropic/v1/messages") return { provider: "anthropic", surface: "anthropic", kind: "messages" };
  const g = GEMINI.exec(path);
  if (method === "POST" && g) return { provider: "google", surface: "gemini", kind: g[2] as InferenceKind, pathModel: decodeURIComponent(g[1] ?? "") };
  if (method === "GET" && path === "/google/v1beta/openai/models") return { provider: "google", surface: "compat", kind: "models" };
  if (method !== "POST") return null;
  for (const c of COMPAT) {
    if (path === `${c.base}/chat/completions`) return { provider: c.provider, surface: "compat", kind: "chat" };
    if (path === `${c.base}/embeddings`) return { provider: c.provider, surface: "compat", kind: c.embeddings ? "embeddings" : "absent" };
  }
  return null;
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === "string" && v.length > 0 ? v : null;
}

const bearer = (req: IncomingMessage): string | null => /^Bearer (.+)$/.exec(header(req, "authorization") ?? "")?.[1] ?? null;

/** The key the provider reads on this API, and whether the request carried two credentials. */
function readKey(ep: Endpoint, req: IncomingMessage, url: URL): { key: string | null; headerKey: string | null; two: boolean } {
  if (ep.provider === "anthropic") {
    // x-api-key, or a bearer token: what the Anthropic SDK sends since API version 2026-10-21.
    const key = header(req, "x-api-key") ?? bearer(req);
    return { key, headerKey: key, two: false };
  }
  if (ep.provider === "google") {
    const fromHeader = ep.surface === "gemini" ? header(req, "x-goog-api-key") : bearer(req) ?? header(req, "x-goog-api-key");
    const all = [bearer(req), header(req, "x-goog-api-key"), url.searchParams.get("key")].filter((k) => k !== null);
    return { key: fromHeader ?? url.searchParams.get("key"), headerKey: fromHeader, two: all.length > 1 };
  }
  const key = bearer(req);
  return { key, headerKey: key, two: false };
}

async function readBody(req: IncomingMessage): Promise<{ body: Record<string, unknown> | null; tooLarge: boolean }> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size <= MAX_BODY) parts.push(chunk as Buffer);
    }
  } catch {
    return { body: null, tooLarge: false }; // the client went away while sending; the record says so
  }
  if (size > MAX_BODY) return { body: null, tooLarge: true };
  try {
    const v: unknown = JSON.parse(Buffer.concat(parts).toString("utf8") || "null");
    return { body: v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null, tooLarge: false };
  } catch {
    return { body: null, tooLarge: false };
  }
}

const text = (status: number, body: string, contentType: string): Answer => ({ status, headers: { "content-type": contentType }, body, usage: null, usageSent: false });
const asAnswer = (ep: Endpoint, r: FakeResponse): Answer => ({
  status: r.status,
  headers: { "content-type": "application/json", [requestIdHeader(ep.surface, ep.provider)]: "req_fake_error", ...r.headers },
  body: JSON.stringify(r.body),
  usage: null,
  usageSent: false,
});

/** An error the key or model asks for, the request's own faults, or null to answer normally. */
function refusal(ep: Endpoint, req: IncomingMessage, key: string | null, two: boolean, model: string | null, revoked: ReadonlySet<string>): Answer | null {
  const k = key ?? "";
  const fail = (kind: FailureKind, status?: number) => asAnswer(ep, inferenceFailure(ep.surface, ep.provider, kind, k, status));
  if (two) return asAnswer(ep, twoCredentials(ep.surface));
  if (key === null && ep.provider !== "custom") return fail("missing_auth");
  for (const marker of revoked) if (k.includes(marker)) return fail("invalid");
  if (k.includes("html200")) return text(200, "<html><body><h1>Welcome</h1><p>Sign in to continue.</p></body></html>", "text/html");
  if (k.includes("html")) return text(502, CLOUDFLARE_502, "text/html; charset=UTF-8");
  if (k.includes("garbage")) return text(200, "\u0000\u0001\u00ffnot json at all {{{", "application/octet-stream");
  const b = behaviourFor(model);
  if (k.includes("echokey") || b.echoKey) return asAnswer(ep, echoKey(ep.surface, ep.provider, k));
  const failure = FAILURES.find((f) => k.includes(f));
  if (failure) return fail(failure);
  if (ep.surface === "anthropic" && header(req, "anthropic-version") === null) {
    return asAnswer(ep, { status: 400, body: { type: "error", error: { type: "invalid_request_error", message: "anthropic-version: header is required" } } });
  }
  if (ep.kind === "absent") return fail("not_found");
  if (b.fail) return fail(b.fail.kind, b.fail.status);
  return null;
}

/** Serves one inference request: records it, then answers after the requested timing. */
export async function serveInference(ctx: InferenceContext, ep: Endpoint, req: IncomingMessage, res: ServerResponse, url: URL, seq: number): Promise<void> {
  const startedAt = performance.now();
  const { key, headerKey, two } = readKey(ep, req, url);
  const recorded = ctx.record(req, url, ep.provider, headerKey);
  const rec = newRecord(ep.kind === "absent" ? "embeddings" : ep.kind, ep.pathModel ?? null, ep.kind === "streamGenerateContent", false);
  recorded.inference = rec;
  const client = watchClient(res, rec);
  const { body, tooLarge } = await readBody(req);
  if (client.signal.aborted) return;
  const model = ep.pathModel ?? (typeof body?.model === "string" ? body.model : null);
  const stream = ep.kind === "streamGenerateContent" || ((ep.kind === "chat" || ep.kind === "messages") && body?.stream === true);
  const options = body?.stream_options as { include_usage?: unknown } | undefined;
  Object.assign(rec, { model, stream, includeUsage: options?.include_usage === true });
  const k = key ?? "";
  if (k.includes("hang")) return; // never answer; the record says aborted once the client gives up
  if (k.includes("reset")) {
    client.selfReset();
    req.socket.destroy();
    return;
  }
  const b = behaviourFor(model);
  const plain = { ttfbMs: ctx.latencyMs() + b.ttfbMs, intervalMs: 0, idleAfter: null, resetAfter: null };
  const refused = refusal(ep, req, key, two, model, ctx.revoked);
  const invalid = (status: number, message: string) => asAnswer(ep, { ...badRequest(ep.surface, ep.provider, message), status });
  let answer: Answer;
  if (refused) answer = refused;
  else if (tooLarge) answer = invalid(413, "Request body too large.");
  else if (body === null && ep.kind !== "models") answer = invalid(400, "We could not parse the JSON body of your request.");
  else if (model === null && ep.kind !== "models") answer = invalid(400, "you must provide a model parameter");
  else {
    const ask: Ask = { provider: ep.provider, surface: ep.surface, kind: ep.kind as InferenceKind, model: model ?? "", body: body ?? {}, stream, includeUsage: rec.includeUsage, sse: url.searchParams.get("alt") === "sse", seq, behaviour: b };
    answer = successAnswer(ask);
  }
  const timing = answer.status === 200 ? { ...plain, intervalMs: b.dripIntervalMs, idleAfter: b.idleAfter, resetAfter: b.resetAfter } : plain;
  await sendAnswer(req, res, rec, answer, timing, client, startedAt, ctx.timers);
}
