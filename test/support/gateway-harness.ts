/**
 * A stand-in for the gateway's route handlers, for the engine's tests: a node:http server that hands
 * each request to the engine the way one of the app's two servers does — as a standard Request
 * (aborted when the client goes away, as Next does) with the answer's body a ReadableStream, or
 * (`node: true`) as Node's own request and response, as `npm start`'s fast path does — checks one
 * hub key, routes by model or native route to the fake provider, calls the engine, and writes the
 * engine's Response back with back-pressure. Not the product's routing: only enough of it to drive
 * the engine with unmodified SDKs.
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Readable } from "node:stream";
import { gatewayErrorResponse, GatewayError } from "@/lib/gateway/errors";
import { proxyGatewayRequest, type GatewayOutcome, type GatewayTarget } from "@/lib/gateway/proxy";
import { parseCompatBody } from "@/lib/gateway/request-body";
import { type GatewayAnswer, type GatewayRequest, NODE_BODY, NodeGatewayRequest, webGatewayRequest } from "@/lib/gateway/request";
import { generateHubKey, readPresentedKey } from "@/lib/hub-keys/token";
import type { FakeProvider } from "@/test/fake-provider/server";
import type { ProviderType } from "@/lib/providers/catalogue";

export const BODY_LIMIT = 10 * 1024 * 1024;

export interface Harness {
  url: string;
  /** `{hub}/v1`: an OpenAI SDK's base URL. */
  compatBase: string;
  /** `{hub}/native/{route}`: a provider SDK's base URL. */
  nativeBase(route: string): string;
  hubKey: string;
  outcomes: GatewayOutcome[];
  /** Per-route target overrides (a provider key, a base URL, a pinned address). */
  targets: Map<string, GatewayTarget>;
  timeoutMs: number;
  /** Waits for the next outcome after `count` have been recorded. */
  outcomeAfter(count: number, ms?: number): Promise<GatewayOutcome>;
  close(): Promise<void>;
}

/** The provider key the harness uses for `type` unless a test sets another. */
export const providerKey = (type: string) => `sk-${type}-provider-key-0123456789abcdef`;

export async function startHarness(fake: FakeProvider, opts: { timeoutMs?: number; node?: boolean } = {}): Promise<Harness> {
  const hubKey = generateHubKey();
  const outcomes: GatewayOutcome[] = [];
  const targets = new Map<string, GatewayTarget>();
  const sockets = new Set<Socket>();
  let seq = 0;
  const h: Partial<Harness> = { hubKey, outcomes, targets, timeoutMs: opts.timeoutMs ?? 10_000 };

  const targetFor = (route: string): GatewayTarget | null => {
    const set = targets.get(route);
    if (set) return set;
    const type = route as ProviderType;
    const baseUrl = fake.baseUrls[type];
    return baseUrl ? { providerType: type, route, baseUrl, apiKey: providerKey(type), pinned: null } : null;
  };

  async function handle(request: GatewayRequest): Promise<GatewayAnswer> {
    const requestId = `req-${++seq}`;
    const presented = readPresentedKey(request.headers);
    if (!presented.ok || presented.key !== hubKey) {
      return gatewayErrorResponse(new GatewayError("invalid_hub_key", presented.ok ? "Invalid hub key" : presented.message), requestId);
    }
    const url = new URL(request.url);
    const base = { request, requestId, timeoutMs: h.timeoutMs!, onFinish: (o: GatewayOutcome) => void outcomes.push(o) };
    const body = await request.bytes(BODY_LIMIT);
    const compat = /^\/v1\/(chat\/completions|embeddings)$/.exec(url.pathname);
    if (compat) {
      const parsed = parseCompatBody(body);
      const target = targetFor(parsed.model.route);
      if (!target) throw new GatewayError("unknown_model", `No provider for route '${parsed.model.route}'`);
      const endpoint = compat[1] === "embeddings" ? "embeddings" : "chat";
      return proxyGatewayRequest({ ...base, target, call: { endpoint, body: parsed.body, upstreamModel: parsed.model.model } });
    }
    const native = /^\/native\/([^/]+)(\/.*)$/.exec(url.pathname);
    const target = native ? targetFor(native[1]!) : null;
    if (!native || !target) throw new GatewayError("unknown_model", "No such route");
    return proxyGatewayRequest({ ...base, target, call: { endpoint: "native", path: native[2]!, search: url.search, body } });
  }

  const server = http.createServer((req, res) => {
    void serve(req, res);
  });
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on("error", () => {});
    const request = opts.node ? new NodeGatewayRequest(req, res, `http://${req.headers.host}`) : webRequest(req, res);
    let response: GatewayAnswer;
    try {
      response = await handle(request);
    } catch (err) {
      if (err instanceof GatewayError) response = gatewayErrorResponse(err);
      else if ((err as { status?: number }).status === 413) response = gatewayErrorResponse(new GatewayError("body_too_large", "Request body is larger than 10 MiB"));
      else throw err;
    }
    await write(response, res);
  }

  function webRequest(req: IncomingMessage, res: ServerResponse): GatewayRequest {
    const ac = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) ac.abort();
    });
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
      signal: ac.signal,
      ...(hasBody ? { duplex: "half" } : {}),
    } as RequestInit);
    return webGatewayRequest(request);
  }

  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(h, {
    url,
    compatBase: `${url}/v1`,
    nativeBase: (route: string) => `${url}/native/${route}`,
    async outcomeAfter(count: number, ms = 3000) {
      for (const end = Date.now() + ms; outcomes.length <= count; await new Promise((r) => setTimeout(r, 5))) {
        if (Date.now() > end) throw new Error(`no outcome after ${count} within ${ms} ms`);
      }
      return outcomes[count]!;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  }) as Harness;
}

/** Writes an answer to a node response the way Next does (a NodeAnswer as the fast path does): headers, then the body at the socket's pace. */
async function write(response: GatewayAnswer, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((v, k) => {
    headers[k] = v;
  });
  res.writeHead(response.status, headers);
  if (!(response instanceof Response)) return response[NODE_BODY](res);
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  res.on("close", () => {
    if (!res.writableFinished) reader.cancel().catch(() => {});
  });
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise<void>((resolve) => res.once("drain", resolve).once("close", resolve));
      if (res.destroyed) return;
    }
    res.end();
  } catch {
    res.destroy(); // the engine cut the answer: the client sees a broken stream, not a clean end
  }
}
