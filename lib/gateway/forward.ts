/**
 * Sends one gateway request upstream on node:http/node:https and hands back the answer as a
 * readable stream once its headers are in. It exists instead of fetch because it can connect to the
 * address the SSRF policy checked (custom endpoints) while keeping the URL's Host and TLS name, pools
 * connections per checked address, never follows a redirect, and gives the caller the raw socket
 * stream to pipe with back-pressure.
 *
 * Time to first byte is bounded here (connect + request + response headers); the idle time between
 * chunks is the caller's to bound, since only it knows when it stopped reading on purpose.
 */
import "server-only";
import http, { type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";
import zlib from "node:zlib";
import { describeNetError, pinnedLookup } from "@/lib/net/http-probe";
import type { ClientSignal } from "./request";

export interface PinnedAddress {
  address: string;
  family: 4 | 6;
}

export interface UpstreamCall {
  url: Readonly<URL>;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array | null;
  /** Connect to this checked address instead of resolving the URL's host (custom endpoints). */
  pinned: PinnedAddress | null;
  /** Bound on connect + request + response headers. */
  timeoutMs: number;
  /** Fires when the client went away: the request is abandoned. */
  signal: ClientSignal;
}

export type UpstreamFailure = "timeout" | "unreachable" | "aborted";

/** A request that got no answer. `message` is a fixed phrase built from an error code, never from a URL or header. */
export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamFailure,
    message: string,
  ) {
    super(message);
    this.name = "UpstreamError";
  }
}

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body, decoded if the provider compressed it despite `accept-encoding: identity`. */
  body: Readable;
  /** Ends the exchange early (the client left, or the stream went idle): the connection is closed. */
  destroy(): void;
  /** True once the body arrived whole. */
  complete(): boolean;
}

const AGENT_OPTIONS = { keepAlive: true, keepAliveMsecs: 1000, maxFreeSockets: 64, scheduling: "lifo" as const };
const shared = { http: new http.Agent(AGENT_OPTIONS), https: new https.Agent(AGENT_OPTIONS) };

/** Pools for pinned connections, one per (origin, checked address): a new DNS answer gets its own. */
const pinnedAgents = new Map<string, http.Agent>();
const MAX_PINNED_AGENTS = 64;

function agentFor(url: Readonly<URL>, pinned: PinnedAddress | null): http.Agent {
  const isHttps = url.protocol === "https:";
  if (!pinned) return isHttps ? shared.https : shared.http;
  const id = `${url.protocol}//${url.host}@${pinned.address}`;
  let agent = pinnedAgents.get(id);
  if (agent) {
    // most recently used last, so the oldest is the first to go
    pinnedAgents.delete(id);
    pinnedAgents.set(id, agent);
    return agent;
  }
  const options = { ...AGENT_OPTIONS, lookup: pinnedLookup(pinned.address, pinned.family) };
  agent = isHttps ? new https.Agent(options) : new http.Agent(options);
  pinnedAgents.set(id, agent);
  if (pinnedAgents.size > MAX_PINNED_AGENTS) {
    const [oldestId, oldest] = pinnedAgents.entries().next().value as [string, http.Agent];
    pinnedAgents.delete(oldestId);
    oldest.destroy();
  }
  return agent;
}

/** Sockets open to providers right now (for tests and diagnostics). */
export function upstreamSocketCount(): { active: number; free: number } {
  let active = 0;
  let free = 0;
  for (const a of [shared.http, shared.https, ...pinnedAgents.values()]) {
    for (const list of Object.values(a.sockets)) active += list?.length ?? 0;
    for (const list of Object.values(a.freeSockets)) free += list?.length ?? 0;
  }
  return { active, free };
}

function decoded(res: IncomingMessage): Readable | null {
  const enc = (res.headers["content-encoding"] ?? "identity").toString().trim().toLowerCase();
  if (enc === "identity" || enc === "") return res;
  const decoder = enc === "gzip" || enc === "x-gzip" ? zlib.createGunzip() : enc === "deflate" ? zlib.createInflate() : enc === "br" ? zlib.createBrotliDecompress() : null;
  if (!decoder) return null;
  res.on("error", (err) => decoder.destroy(err));
  // a body cut short ends in "close" without "end": the decoder must fail too, not wait forever
  res.on("close", () => {
    if (!res.complete) decoder.destroy(new Error("upstream body cut short"));
  });
  return res.pipe(decoder);
}

/** One attempt; `retryable` says whether a failure came from a pooled socket the server had closed. */
function attempt(call: UpstreamCall, deadline: number): Promise<UpstreamResponse> {
  const isHttps = call.url.protocol === "https:";
  return new Promise<UpstreamResponse>((resolve, reject) => {
    let settled = false;
    let req: http.ClientRequest | undefined;
    const fail = (err: UpstreamError & { retryable?: boolean }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      call.signal.removeEventListener("abort", onAbort);
      req?.destroy();
      reject(err);
    };
    const onAbort = () => fail(new UpstreamError("aborted", "the client went away"));
    const timer = setTimeout(() => fail(new UpstreamError("timeout", "no answer in time")), Math.max(1, deadline - performance.now()));
    try {
      req = (isHttps ? https : http).request({
        protocol: call.url.protocol,
        hostname: call.url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: call.url.port || (isHttps ? 443 : 80),
        path: `${call.url.pathname}${call.url.search}`,
        method: call.method,
        headers: call.headers,
        agent: agentFor(call.url, call.pinned),
      });
    } catch (err) {
      // only reachable with header values Node refuses; never echo them
      fail(new UpstreamError("unreachable", `request could not be built (${(err as { code?: string })?.code ?? "invalid header"})`));
      return;
    }
    call.signal.addEventListener("abort", onAbort, { once: true });
    req.on("error", (err) => {
      const e: UpstreamError & { retryable?: boolean } = new UpstreamError("unreachable", describeNetError(err).message);
      e.retryable = req?.reusedSocket === true && (err as { code?: string }).code === "ECONNRESET";
      fail(e);
    });
    req.on("response", (res) => {
      if (settled) {
        res.destroy();
        return;
      }
      const body = decoded(res);
      if (!body) {
        fail(new UpstreamError("unreachable", "the provider answered in an encoding the hub cannot read"));
        return;
      }
      settled = true;
      clearTimeout(timer);
      call.signal.removeEventListener("abort", onAbort);
      resolve({
        status: res.statusCode ?? 502,
        headers: res.headers,
        body,
        destroy: () => {
          res.destroy();
          req.destroy();
          if (body !== res) body.destroy();
        },
        complete: () => res.complete,
      });
    });
    if (call.signal.aborted) return onAbort();
    req.end(call.body ?? undefined);
  });
}

/**
 * Sends the call and resolves with the answer's status, headers and body stream. Rejects with
 * UpstreamError: `timeout` when no answer came within timeoutMs, `unreachable` when the connection
 * failed, `aborted` when the client went away first. A request that failed on a pooled connection
 * the provider had just closed is sent once more on a fresh one (it never reached the provider).
 */
export async function sendUpstream(call: UpstreamCall): Promise<UpstreamResponse> {
  const deadline = performance.now() + call.timeoutMs;
  try {
    return await attempt(call, deadline);
  } catch (err) {
    if ((err as { retryable?: boolean }).retryable && !call.signal.aborted && performance.now() < deadline) return attempt(call, deadline);
    throw err;
  }
}
