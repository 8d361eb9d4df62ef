// One socket write for what a turn of the event loop writes: the two relays of an answer's body
// (server/fast-path.mjs for a route handler's Response, lib/gateway/stream-body.ts for the gateway's
// provider answers) cork the socket at a chunk and uncork it at the next tick, so chunks that arrive
// together (a non-streamed answer's body and its end; the headers with the first chunk) leave in one
// write. Plain JavaScript: server.mjs runs it with Node, and the bundled gateway imports it too.

/** Sockets corked here, until their next tick. */
const corked = new WeakSet();

/** Corks `socket` until the next tick, unless this tick corked it already. */
export function corkForThisTick(socket) {
  if (!socket || corked.has(socket)) return;
  corked.add(socket);
  socket.cork();
  process.nextTick(uncorkNow, socket); // nothing left to do when uncorkNow came first; after res.end() a no-op uncork
}

/** Uncorks now what corkForThisTick corked (before a connection is broken off: what was written leaves). */
export function uncorkNow(socket) {
  if (!socket || !corked.delete(socket)) return;
  socket.uncork();
}
