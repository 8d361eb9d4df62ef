/**
 * One bounded HTTP request on node:http/node:https, for talking to providers. It exists instead of
 * fetch because it can connect to an address checked by the SSRF policy while keeping the URL's
 * Host and TLS name, never follows redirects, caps the body, and has one hard deadline.
 */
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";

export interface ProbeRequest {
  url: URL;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  /** Connect to this (already checked) address instead of resolving the URL's host again. */
  address?: { address: string; family: 4 | 6 };
  /** Deadline for connect + headers + body together. */
  timeoutMs: number;
  /** Body bytes kept before the connection is cut (default 2 MiB). */
  maxBytes?: number;
}

export interface ProbeResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string | undefined>;
  bodyText: string;
  truncated: boolean;
}

export type ProbeErrorKind = "timeout" | "unreachable";

/** A failed probe. `message` is a short fixed phrase (never header values or URLs with secrets). */
export class ProbeError extends Error {
  readonly kind: ProbeErrorKind;
  readonly code: string | null;
  constructor(kind: ProbeErrorKind, message: string, code: string | null = null) {
    super(message);
    this.name = "ProbeError";
    this.kind = kind;
    this.code = code;
  }
}

export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;

// Reused only for unpinned requests (configured provider hosts); keep-alive saves a TLS handshake
// on repeated health checks. Free sockets are unref'd by Node, so they never hold the process open.
const sharedAgents = {
  "http:": new http.Agent({ keepAlive: true }),
  "https:": new https.Agent({ keepAlive: true }),
};

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset by the server",
  EPIPE: "connection closed by the server",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "DNS lookup failed (temporary)",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EADDRNOTAVAIL: "address not available",
};

/** Maps a socket/TLS error to a safe phrase built only from its error code. */
export function describeNetError(err: unknown): ProbeError {
  if (err instanceof ProbeError) return err;
  const code = typeof (err as { code?: unknown })?.code === "string" ? (err as { code: string }).code : null;
  if (code === "ETIMEDOUT") return new ProbeError("timeout", "connection timed out", code);
  if (code && REASONS[code]) return new ProbeError("unreachable", `${REASONS[code]} (${code})`, code);
  if (code && /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH)/.test(code)) {
    return new ProbeError("unreachable", `TLS error (${code})`, code);
  }
  if (code?.startsWith("HPE_")) {
    return new ProbeError("unreachable", "the server did not speak HTTP", code);
  }
  return new ProbeError("unreachable", code ? `connection failed (${code})` : "connection failed", code);
}

export function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  // Node calls lookup with `all: true` when autoSelectFamily is on (the default since Node 20).
  return ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (opts?.all) cb(null, [{ address, family }]);
    else cb(null, address, family);
  }) as unknown as LookupFunction;
}

function flattenHeaders(res: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** Sends one request and reads the response; rejects only with ProbeError. */
export function probe(req: ProbeRequest): Promise<ProbeResponse> {
  const maxBytes = req.maxBytes ?? DEFAULT_MAX_BYTES;
  const isHttps = req.url.protocol === "https:";
  const mod = isHttps ? https : http;
  const headers: Record<string, string> = { ...req.headers };
  if (req.body !== undefined) headers["content-length"] = String(Buffer.byteLength(req.body));
  else if (req.method === "POST") headers["content-length"] = "0";

  return new Promise<ProbeResponse>((resolve, reject) => {
    let settled = false;
    // eslint-disable-next-line prefer-const -- finish() can run (and clear it) before the timer is set
    let timer: NodeJS.Timeout | undefined;
    let clientReq: http.ClientRequest | undefined;
    const finish = (err: ProbeError | null, value?: ProbeResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        clientReq?.destroy();
        reject(err);
      } else if (value) {
        resolve(value);
      }
    };

    timer = setTimeout(() => finish(new ProbeError("timeout", "request timed out", "ETIMEDOUT")), req.timeoutMs);

    try {
      clientReq = mod.request({
        protocol: req.url.protocol,
        hostname: req.url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: req.url.port || (isHttps ? 443 : 80),
        path: `${req.url.pathname}${req.url.search}`,
        method: req.method,
        headers,
        // A pinned connection must not be pooled with sockets that were resolved differently.
        agent: req.address ? false : sharedAgents[isHttps ? "https:" : "http:"],
        ...(req.address ? { lookup: pinnedLookup(req.address.address, req.address.family) } : {}),
      });
    } catch (err) {
      // Only reachable with invalid header values (e.g. a key with a newline); never echo them.
      finish(new ProbeError("unreachable", "request could not be built", (err as { code?: string })?.code ?? null));
      return;
    }

    clientReq.on("error", (err) => finish(describeNetError(err)));
    clientReq.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const done = (): void => {
        finish(null, {
          status: res.statusCode ?? 0,
          headers: flattenHeaders(res),
          bodyText: Buffer.concat(chunks).toString("utf8"),
          truncated,
        });
      };
      res.on("data", (chunk: Buffer) => {
        if (settled || truncated) return;
        const room = maxBytes - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          size = maxBytes;
          truncated = true;
          done();
          // Stop downloading the rest; the socket is not reused.
          res.destroy();
          clientReq?.destroy();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on("end", done);
      // A body cut short by the server ends in "close" without "end".
      res.on("close", () => {
        if (!res.complete) finish(new ProbeError("unreachable", "connection reset by the server", "ECONNRESET"));
      });
      res.on("error", (err) => finish(describeNetError(err)));
    });
    clientReq.end(req.body);
  });
}
