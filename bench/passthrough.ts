/**
 * The floor for `npm run bench:gateway`: a bare node:http pass-through proxy with nothing of a
 * gateway's work (no key lookup, no body parsing, no usage record). `/v1/<path>` is forwarded to
 * UPSTREAM + `/<path>` over a keep-alive agent; the request body and the answer are piped as they
 * flow (back-pressure included), headers pass through but for the hop-by-hop ones, and a client
 * that goes away aborts the upstream request.
 *
 * Runs in its own process: node --import tsx bench/passthrough.ts   (env: PORT, UPSTREAM)
 */
import http from "node:http";

const PORT = Number(process.env.PORT ?? 0);
const upstream = new URL(process.env.UPSTREAM ?? "");
if (!/^http:$/.test(upstream.protocol)) throw new Error("UPSTREAM must be an http:// base URL, e.g. http://127.0.0.1:9100/openai/v1");
const base = upstream.pathname.replace(/\/$/, "");
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "host"]);

function strip(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (!HOP.has(k) && v !== undefined) out[k] = v;
  return out;
}

const server = http.createServer((req, res) => {
  const url = req.url ?? "/";
  if (!url.startsWith("/v1/")) {
    res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
    return;
  }
  const up = http.request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: base + url.slice(3), headers: strip(req.headers), agent },
    (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, strip(upRes.headers));
      upRes.pipe(res);
    },
  );
  up.on("error", () => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" }).end('{"error":{"message":"upstream unreachable"}}');
    else res.destroy();
  });
  res.on("close", () => {
    if (!res.writableFinished) up.destroy();
  });
  req.pipe(up);
});
server.keepAliveTimeout = 65_000;
server.listen(PORT, "127.0.0.1", () => console.log(`pass-through proxy on http://127.0.0.1:${(server.address() as { port: number }).port} -> ${upstream.href}`));

const stop = () => {
  server.close();
  server.closeAllConnections();
  agent.destroy();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
