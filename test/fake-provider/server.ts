/**
 * A local fake of every supported provider, on real HTTP, for tests and benchmarks. It checks the
 * credential header each provider really uses and answers with that provider's real shapes. The key
 * chooses the behaviour (a substring anywhere in it): invalid, forbidden, nocredit, quota, ratelimit,
 * error500, overloaded, hang, html, html200, reset, garbage, huge, notvalid (Cohere), legacy
 * (OpenRouter `/key` 404s, `/auth/key` works). Anything else succeeds. A test can also revoke keys
 * while they are in use: `POST /__fake/revoke?marker=M` makes every key containing M invalid until
 * `POST /__fake/restore?marker=M` (a marker, so no key travels in a URL). OpenRouter's credit is
 * set per key the same way: `POST /__fake/credit?marker=M&limit=10&remaining=3.2` (optional `usage`,
 * `reset`) makes `GET /api/v1/key` report that cap for every key containing M; without `limit` the
 * key has no cap again. `GET /__fake/requests`
 * lists what it saw (`?model=S`: inference requests whose model contains S); `GET /__fake/connections`
 * counts the connections open now, those that carried an inference request, and the inference
 * answers not closed yet (what a leak check reads from outside).
 *
 * Beside the key-test calls it answers chat, embeddings, Anthropic Messages and Gemini
 * generateContent at each provider's real path (inference.ts), where the key conventions above hold
 * too (plus `echokey`) and the model name chooses timing and errors (controls.ts). What it answered
 * is in each record's `inference`: usage, chunk times, whether the client went away.
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { ProviderType } from "../../lib/providers/catalogue";
import { CLOUDFLARE_502, FAILURES, failureResponse, type FakeResponse } from "./error-bodies";
import { compatBaseUrls, matchInference, serveInference, type InferenceContext } from "./inference";
import type { InferenceRecord } from "./respond";
import { cohereModels, type FakeCredit, openRouterModels, successBody } from "./success-bodies";

export interface RecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  /** The raw query string ("" or "?..."). */
  query: string;
  provider: ProviderType | null;
  /** All request headers, with credential values replaced by `<redacted:LENGTH>`. */
  headers: Record<string, string>;
  /** Whether the credential header this provider expects was present. */
  expectedAuthPresent: boolean;
  keyLength: number | null;
  /** True if the key (or a `key=` parameter) appeared anywhere in the URL. */
  keyInUrl: boolean;
  /** For chat, embeddings, Messages and generateContent calls: what the fake answered (inference.ts). */
  inference?: InferenceRecord;
}

export interface FakeProvider {
  url: string;
  port: number;
  baseUrls: Record<ProviderType, string>;
  /** Where an OpenAI SDK points for each provider's OpenAI-compatible API (chat, embeddings). */
  compatBaseUrls: Record<ProviderType, string>;
  requests: RecordedRequest[];
  setLatency(ms: number): void;
  close(): Promise<void>;
}

interface Route {
  provider: ProviderType;
  method: "GET" | "POST";
  /** Base URL path, i.e. what PROVIDER_BASE_URL_<TYPE> holds after the origin. */
  base: string;
  paths: string[];
}

const ROUTES: readonly Route[] = [
  { provider: "openrouter", method: "GET", base: "/openrouter/api/v1", paths: ["/openrouter/api/v1/key", "/openrouter/api/v1/auth/key"] },
  { provider: "openai", method: "GET", base: "/openai/v1", paths: ["/openai/v1/models"] },
  { provider: "anthropic", method: "GET", base: "/anthropic/v1", paths: ["/anthropic/v1/models"] },
  { provider: "google", method: "GET", base: "/google/v1beta", paths: ["/google/v1beta/models"] },
  { provider: "cohere", method: "POST", base: "/cohere", paths: ["/cohere/v1/check-api-key"] },
  { provider: "groq", method: "GET", base: "/groq/openai/v1", paths: ["/groq/openai/v1/models"] },
  { provider: "together", method: "GET", base: "/together/v1", paths: ["/together/v1/models"] },
  { provider: "mistral", method: "GET", base: "/mistral/v1", paths: ["/mistral/v1/models"] },
  { provider: "custom", method: "GET", base: "/custom/v1", paths: ["/custom/v1/models"] },
];

const CREDENTIAL_HEADERS = ["authorization", "x-api-key", "x-goog-api-key", "api-key", "cookie"];

/** Reads the credential the way the provider does; `null` when the expected header is absent. */
function readKey(provider: ProviderType, req: IncomingMessage): string | null {
  if (provider === "anthropic") return header(req, "x-api-key");
  if (provider === "google") return header(req, "x-goog-api-key");
  const auth = header(req, "authorization");
  const m = auth ? /^Bearer (.+)$/.exec(auth) : null;
  return m?.[1] ?? null;
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === "string" && v.length > 0 ? v : null;
}

function record(req: IncomingMessage, url: URL, provider: ProviderType | null, key: string | null): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    const v = Array.isArray(value) ? value.join(", ") : (value ?? "");
    headers[name] = CREDENTIAL_HEADERS.includes(name) ? `<redacted:${v.length}>` : v;
  }
  const rawUrl = req.url ?? "";
  const keyInUrl =
    url.searchParams.has("key") || (key !== null && (rawUrl.includes(key) || rawUrl.includes(encodeURIComponent(key))));
  return {
    method: req.method ?? "",
    path: url.pathname,
    query: url.search,
    provider,
    headers,
    expectedAuthPresent: key !== null,
    keyLength: key?.length ?? null,
    keyInUrl,
  };
}

/** What the fake answers, or a socket-level behaviour. */
type Plan = FakeResponse | { raw: "hang" | "reset" } | { text: string; status: number; contentType: string };

function plan(route: Route, req: IncomingMessage, path: string, key: string | null, revoked: ReadonlySet<string>, credits: ReadonlyMap<string, FakeCredit>): Plan {
  if (req.method !== route.method) return failureResponse(route.provider, "not_found", "");
  if (key === null && route.provider !== "custom") return failureResponse(route.provider, "missing_auth", "");
  const k = key ?? "";
  for (const marker of revoked) if (k.includes(marker)) return failureResponse(route.provider, "invalid", k);
  if (k.includes("hang")) return { raw: "hang" };
  if (k.includes("reset")) return { raw: "reset" };
  if (k.includes("html200")) return { text: "<html><body><h1>Welcome</h1><p>Sign in to continue.</p></body></html>", status: 200, contentType: "text/html" };
  if (k.includes("html")) return { text: CLOUDFLARE_502, status: 502, contentType: "text/html; charset=UTF-8" };
  if (k.includes("garbage")) return { text: "\u0000\u0001\u00ffnot json at all {{{", status: 200, contentType: "application/octet-stream" };
  if (k.includes("huge")) return { text: `{"object":"list","data":[${'{"id":"x"},'.repeat(300_000)}`, status: 200, contentType: "application/json" };
  if (route.provider === "anthropic" && header(req, "anthropic-version") === null) {
    return { status: 400, body: { type: "error", error: { type: "invalid_request_error", message: "anthropic-version: header is required" } } };
  }
  if (route.provider === "openrouter" && k.includes("legacy") && path.endsWith("/api/v1/key")) return failureResponse("openrouter", "not_found", k);
  if (route.provider === "cohere" && k.includes("notvalid")) return { status: 200, body: { valid: false, organization_id: null, owner_id: null } };
  const failure = FAILURES.find((f) => k.includes(f));
  if (failure) return failureResponse(route.provider, failure, k);
  const credit = route.provider === "openrouter" ? [...credits].find(([marker]) => k.includes(marker))?.[1] : undefined;
  return { status: 200, body: successBody(route.provider, key, credit) };
}

function send(req: IncomingMessage, res: ServerResponse, p: Plan): void {
  if ("raw" in p) {
    if (p.raw === "reset") req.socket.destroy();
    return; // "hang": never answer; close() tears the socket down.
  }
  if ("text" in p) {
    res.writeHead(p.status, { "content-type": p.contentType });
    res.end(p.text);
    return;
  }
  res.writeHead(p.status, { "content-type": "application/json", ...p.headers });
  res.end(JSON.stringify(p.body));
}

/**
 * A list as one JSON array, written a slice at a time as the client reads it: the log of a fake held
 * for a long bench is more than one string can hold (JSON.stringify of it threw `Invalid string
 * length` and took the fake down).
 */
function replyList(res: ServerResponse, items: readonly unknown[]): void {
  const SLICE = 500;
  res.writeHead(200, { "content-type": "application/json" });
  let i = 0;
  const next = (): void => {
    while (i < items.length) {
      const text = (i === 0 ? "[" : ",") + items.slice(i, i + SLICE).map((item) => JSON.stringify(item)).join(",");
      i += SLICE;
      if (!res.write(text)) return void res.once("drain", next);
    }
    res.end(items.length === 0 ? "[]" : "]");
  };
  next();
}

/** Starts the fake on 127.0.0.1 (`port` 0 = a random free port). */
export async function startFakeProvider(options: { port?: number; latencyMs?: number } = {}): Promise<FakeProvider> {
  let latencyMs = options.latencyMs ?? 0;
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  /** Connections that carried an inference request (the gateway's upstream connections), while open. */
  const inferenceSockets = new Set<Socket>();
  /** Inference answers whose response is not closed yet (still writing, silent, or waiting to be given up on). */
  let inferenceInFlight = 0;
  const revoked = new Set<string>();
  const credits = new Map<string, FakeCredit>();
  let seq = 0;
  const inference: InferenceContext = {
    latencyMs: () => latencyMs,
    revoked,
    timers,
    record: (req, url, provider, key) => {
      const r = record(req, url, provider, key);
      requests.push(r);
      return r;
    },
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake.invalid");
    if (url.pathname.startsWith("/__fake/")) return control(req, res, url);
    const endpoint = matchInference(req.method ?? "", url.pathname);
    if (endpoint) {
      inferenceSockets.add(req.socket);
      inferenceInFlight++;
      res.once("close", () => inferenceInFlight--);
      serveInference(inference, endpoint, req, res, url, ++seq).catch(() => res.destroy());
      return;
    }
    if (url.pathname === "/openrouter/api/v1/models" || url.pathname === "/cohere/v1/models") {
      return modelList(req, res, url);
    }
    const route = ROUTES.find((r) => r.paths.includes(url.pathname));
    const key = route ? readKey(route.provider, req) : null;
    requests.push(record(req, url, route?.provider ?? null, key));
    const p: Plan = route ? plan(route, req, url.pathname, key, revoked, credits) : { status: 404, body: { error: { message: "Not found" } } };
    // Drain the request body (Cohere's POST) before answering.
    req.resume();
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) send(req, res, p);
    }, latencyMs);
    timers.add(timer);
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => {
      sockets.delete(s);
      inferenceSockets.delete(s);
    });
  });

  /** Test control: other processes (the integration tests) read and reset what the fake saw. */
  function control(req: IncomingMessage, res: ServerResponse, url: URL): void {
    req.resume();
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && url.pathname === "/__fake/requests") {
      // `?model=S`: only the inference requests whose model contains S (a test's own tag)
      const tag = url.searchParams.get("model");
      return replyList(res, tag === null ? requests.slice() : requests.filter((r) => r.inference?.model?.includes(tag)));
    }
    // what a leak check reads from outside: upstream connections still open, answers still running
    if (req.method === "GET" && url.pathname === "/__fake/connections") {
      return reply(200, { open: sockets.size, inference_open: inferenceSockets.size, inference_in_flight: inferenceInFlight });
    }
    if (req.method === "POST" && url.pathname === "/__fake/reset") {
      requests.length = 0;
      return reply(200, { ok: true });
    }
    const marker = url.searchParams.get("marker") ?? "";
    if (req.method === "POST" && url.pathname === "/__fake/revoke" && marker.length >= 6) {
      revoked.add(marker);
      return reply(200, { ok: true, revoked: revoked.size });
    }
    if (req.method === "POST" && url.pathname === "/__fake/restore") {
      revoked.delete(marker);
      return reply(200, { ok: true, revoked: revoked.size });
    }
    if (req.method === "POST" && url.pathname === "/__fake/credit" && marker.length >= 6) {
      const n = (name: string, fallback: number) => {
        const v = Number(url.searchParams.get(name) ?? fallback);
        return Number.isFinite(v) ? v : fallback;
      };
      if (!url.searchParams.has("limit")) credits.delete(marker);
      else {
        const limit = n("limit", 0);
        const remaining = n("remaining", limit);
        credits.set(marker, { limit, remaining, usage: n("usage", Math.max(0, limit - remaining)), reset: url.searchParams.get("reset") });
      }
      return reply(200, { ok: true, credit: credits.get(marker) ?? null });
    }
    if (req.method === "POST" && url.pathname === "/__fake/latency") {
      latencyMs = Math.max(0, Number(url.searchParams.get("ms") ?? 0) || 0);
      return reply(200, { ok: true, latencyMs });
    }
    reply(404, { error: "unknown control endpoint" });
  }

  /** The model lists counted after a successful OpenRouter or Cohere validation. */
  function modelList(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const cohere = url.pathname.startsWith("/cohere/");
    const key = cohere ? readKey("cohere", req) : readKey("openrouter", req);
    requests.push(record(req, url, cohere ? "cohere" : "openrouter", key));
    req.resume();
    if (cohere && key === null) {
      res.writeHead(401, { "content-type": "application/json" });
      return void res.end(JSON.stringify({ message: "no api key supplied" }));
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(cohere ? cohereModels() : openRouterModels()));
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const baseUrls = Object.fromEntries(ROUTES.map((r) => [r.provider, `${url}${r.base}`])) as Record<ProviderType, string>;

  return {
    url,
    port,
    baseUrls,
    compatBaseUrls: compatBaseUrls(url),
    requests,
    setLatency(ms: number) {
      latencyMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        for (const s of sockets) s.destroy(); // includes "hang" connections and idle keep-alive sockets
        server.close(() => resolve());
      }),
  };
}
