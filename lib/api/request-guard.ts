import "server-only";
import http from "node:http";
import type { Socket } from "node:net";
import { clientAddress } from "@/lib/net/client-address";

const GUARD = Symbol.for("llmhub.requestGuard");

/**
 * Two things route handlers cannot do for themselves, done where Node hands a request to Next:
 *
 * - The client address. Next fills `X-Forwarded-For` with the socket address only when the client
 *   sent none, so a client could name any address (dodging per-address sign-in limits, forging the
 *   audit log). The header is replaced by the one address we can vouch for: the socket's, or with
 *   TRUST_PROXY=N the one N proxies away (see lib/net/client-address.ts).
 * - A path with a %-escape that does not decode makes Next answer a bare 500 before any route runs;
 *   such an /api request gets the API's 400 `{detail, code}` instead.
 * - An answer that starts before the request's body has all arrived closes the connection (see
 *   closeIfAnsweredEarly).
 */
export function installRequestGuard(trustedHops: number): void {
  const proto = http.Server.prototype as unknown as Record<symbol, unknown> & { emit: (...args: unknown[]) => boolean };
  if (proto[GUARD]) return;
  proto[GUARD] = true;
  closeIfAnsweredEarly();
  const emit = proto.emit;
  // fixed parameters, no rest array: this runs for every request
  proto.emit = function guardedEmit(this: http.Server, event: unknown, a?: unknown, b?: unknown) {
    if (event === "request") {
      const req = a as http.IncomingMessage;
      const res = b as http.ServerResponse;
      req.headers["x-forwarded-for"] = clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trustedHops) ?? "";
      if (req.url?.startsWith("/api/") && !decodes(req.url)) {
        res.writeHead(400, { "content-type": "application/json", "cache-control": "no-store" });
        res.end(JSON.stringify({ detail: "Malformed URL: the path has an invalid %-escape", code: "invalid_request" }));
        return true;
      }
    }
    // eslint-disable-next-line prefer-rest-params -- passes on exactly what Node emitted, any arity
    return emit.apply(this, arguments as unknown as unknown[]);
  };
}

function decodes(url: string): boolean {
  if (!url.includes("%")) return true; // nothing to decode
  try {
    decodeURIComponent(url.split("?")[0] ?? "");
    return true;
  } catch {
    return false;
  }
}

/**
 * A 413 past the body limit, or a 401 to a POST whose body was never read, is answered while the
 * client may still be sending. Kept alive, Node would then read the rest of that body, however
 * long, only to drop it; `Connection: close` ends the connection after the answer instead (closing
 * it gently: see lingerThenClose). Bodies that arrived whole (every request the app reads to the
 * end) keep their connection.
 *
 * Next refuses a server action's body past `serverActions.bodySizeLimit` with a bare 500. A server
 * action reads its whole body before it runs, so a 500 to one whose body has not all arrived is
 * that refusal: it is answered as what it is, 413.
 */
function closeIfAnsweredEarly(): void {
  // Once, on the prototype. A closure of each response's own as `writeHead` (as this was first
  // written), which also gives every response a second hidden class midway through Node's HTTP code,
  // cost a bare pass-through served by this server 0.29 ms of CPU per request against 0.22 without
  // (the floor proxy: 0.21), and a gateway call up to ~4% (bench/NOTES.md).
  const proto = http.ServerResponse.prototype;
  const writeHead = proto.writeHead;
  proto.writeHead = function writeHeadClosing(this: http.ServerResponse, ...args: unknown[]) {
    const req = this.req as http.IncomingMessage | undefined;
    if (req && !req.complete && !this.headersSent) {
      if (args[0] === 500 && req.method === "POST" && req.headers["next-action"]) {
        args[0] = 413;
        if (typeof args[1] === "string") args[1] = "Payload Too Large";
      }
      this.setHeader("connection", "close");
      // Node ends a `Connection: close` answer's socket with destroySoon() once the answer is
      // written. The answer's socket, not the request's: a request whose body reader was
      // cancelled no longer holds it.
      const socket = this.socket as (Socket & { destroySoon?: () => void }) | null;
      if (socket) socket.destroySoon = () => lingerThenClose(socket);
    }
    return (writeHead as (...a: unknown[]) => http.ServerResponse).apply(this, args);
  } as typeof proto.writeHead;
}

/** How long a connection answered early keeps reading (and dropping) what the client still sends. */
export const LINGER_MS = 2000;

/**
 * Closing a socket while the client's body is still arriving makes the kernel answer with a reset,
 * and a client that has not yet read the answer (it is busy sending, or slow on a loaded machine)
 * loses it: it sees the connection die with no status at all. As RFC 9112 section 9.6 says, the
 * write side closes first (FIN after the answer), whatever still arrives is read and dropped (never
 * kept: memory stays flat), and the socket closes when the client closes its side, having read the
 * answer, or after LINGER_MS at the latest.
 */
function lingerThenClose(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.readableEnded) {
    // the client already closed its side: nothing more can arrive, so no reset to avoid
    socket.end(() => socket.destroy());
    return;
  }
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
  socket.once("end", () => socket.destroy());
  socket.end();
  socket.resume();
}
