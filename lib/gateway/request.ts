/**
 * The client's request as the gateway reads it, whichever server handed it over:
 *
 * - Next (`next dev`, or `npm start` with API_FAST_PATH=0) calls the route's exported function with
 *   a Web `Request`; `webGatewayRequest` reads it, and the answer's body is a `ReadableStream`.
 * - `npm start`'s API fast path (server/fast-path.mjs) hands a gateway call over as Node's own
 *   request and response (the route function's `NODE_ENTRY`): no Web `Request`, body stream or
 *   signal-following is built for it, the body is read straight off the socket, and the provider's
 *   answer is written straight to the Node response (`NODE_BODY`), with the same bytes, limits,
 *   back-pressure and cuts. In a profile of `npm run bench:gateway` the Web `Request` alone was
 *   ~9% of the app's busy time.
 */
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBodyBytes, readNodeBodyBytes } from "@/lib/api/body";
import { errorFields, log } from "@/lib/log";

/**
 * What the gateway reads of the client's going away (an `AbortSignal` is one): whether it left, and
 * a listener called once when it does.
 */
export interface ClientSignal {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** What the gateway reads of a request's headers (a Web `Headers` is one). Names are lowercase. */
export interface HeaderReader {
  get(name: string): string | null;
  forEach(cb: (value: string, name: string) => void): void;
}

export interface GatewayRequest {
  readonly method: string;
  /** Absolute, as the client sent its path and query (still %-encoded). */
  readonly url: string;
  readonly headers: HeaderReader;
  /** Aborts when the client goes away before its answer is written. */
  readonly signal: ClientSignal;
  /** The body, at most `limit` bytes (413 past it, 400 `incomplete_body` when it stops short). */
  bytes(limit: number): Promise<Uint8Array>;
  /** True when the answer's body is written to Node's response by `NODE_BODY` rather than streamed. */
  readonly writesNode: boolean;
}

/**
 * On a route function: `(req, res, params, origin) => Promise<Response>`, the same handler for a
 * request the server hands over as Node's own. Registered symbols: the fast path is not bundled.
 */
export const NODE_ENTRY = Symbol.for("llmhub.gateway.nodeEntry");
/**
 * On a Response the gateway returns to the fast path: `(res) => Promise<void>` writes its body (the
 * Response itself has none; its status and headers are sent first, as for any other).
 */
export const NODE_BODY = Symbol.for("llmhub.gateway.nodeBody");

export type NodeBodyWriter = (res: ServerResponse) => Promise<void>;

/**
 * An answer for Node's response (`writesNode`), without a Web `Response`: its status, its headers
 * (lowercase names, one combined value each, as a `Headers` would hold them) and the writer of its
 * body. The fast path sends the headers in name order, as it sends a Response's. Building a
 * `Response` and its `Headers` only to read them back was ~3% of a gateway call's CPU at 32
 * connections (bench/NOTES.md).
 */
export interface NodeAnswer {
  readonly status: number;
  readonly headers: Map<string, string>;
  readonly [NODE_BODY]: NodeBodyWriter;
}

/** What a gateway handler answers: a Response, or on the fast path's Node request a NodeAnswer. */
export type GatewayAnswer = Response | NodeAnswer;

export const nodeAnswer = (status: number, headers: Map<string, string>, write: NodeBodyWriter): NodeAnswer => ({ status, headers, [NODE_BODY]: write });

export function webGatewayRequest(request: Request): GatewayRequest {
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    get signal() {
      return request.signal;
    },
    bytes: (limit) => (request.method === "GET" || request.method === "HEAD" ? Promise.resolve(new Uint8Array(0)) : readBodyBytes(request, limit)),
    writesNode: false,
  };
}

/** A Node request's headers as a HeaderReader: what a Web `Headers` built from them would answer. */
class NodeHeaders implements HeaderReader {
  constructor(private readonly raw: IncomingMessage["headers"]) {}

  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    if (v === undefined) return null;
    return Array.isArray(v) ? v.join(", ") : v;
  }

  forEach(cb: (value: string, name: string) => void): void {
    for (const name in this.raw) {
      const v = this.raw[name];
      if (v !== undefined) cb(Array.isArray(v) ? v.join(", ") : v, name);
    }
  }
}

/**
 * The Node request's ClientSignal: set off by the response's `close` before its end was written.
 * Not an AbortController: Node's costs an EventTarget per request (with the listener bookkeeping,
 * ~2% of a gateway call's CPU at 32 connections: bench/NOTES.md), for two listeners of our own.
 * As an AbortSignal's: adding a listener twice adds it once, each is called once, in order.
 */
class ClientLeft implements ClientSignal {
  aborted = false;
  private listeners: (() => void)[] = [];

  addEventListener(_type: "abort", listener: () => void, _options?: { once?: boolean }): void {
    if (!this.aborted && !this.listeners.includes(listener)) this.listeners.push(listener);
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    const i = this.listeners.indexOf(listener);
    if (i !== -1) this.listeners.splice(i, 1);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) {
      try {
        listener();
      } catch (err) {
        // one listener's failure stops neither the others nor the server (this runs in `close`)
        log.error("gateway: a client-abort listener failed", errorFields(err));
      }
    }
  }
}

export class NodeGatewayRequest implements GatewayRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: HeaderReader;
  readonly writesNode = true;
  readonly signal = new ClientLeft();

  constructor(
    private readonly req: IncomingMessage,
    res: ServerResponse,
    /** `http://host:port` of this server, for the absolute URL. */
    origin: string,
  ) {
    this.method = req.method ?? "GET";
    this.url = `${origin}${req.url ?? "/"}`;
    this.headers = new NodeHeaders(req.headers);
    res.once("close", () => {
      if (!res.writableFinished) this.signal.abort();
    });
  }

  bytes(limit: number): Promise<Uint8Array> {
    return readNodeBodyBytes(this.req, limit);
  }
}
