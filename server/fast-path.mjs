// The API's fast path: an /api request that needs nothing of Next's router (no rewrite, no proxy.ts,
// no path normalising, no RSC) is served by calling the built route handler's exported function
// (GET, POST, …) from app/api/**/route.ts directly, with a NextRequest built from the Node request,
// and writing its Response as Next does: the same config headers, compression, header copying and
// streamed body (backpressure, a flush per chunk). The gateway's routes take Node's request and
// response as they are instead (their NODE_ENTRY: lib/gateway/request.ts), with the same prelude
// but for the compression (their answers are never compressed: lib/gateway/route.ts) and the same
// writing of their answer. Anything else returns false and goes to Next.
// Next's own functions are used where it has them, so that both paths answer byte for byte alike.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";
import { apiMatcher, loadApiRoutes } from "./api-routes.mjs";
import { corkForThisTick } from "./cork.mjs";

const require = createRequire(import.meta.url);
const { NextRequest } = require("next/server");
const { filterInternalHeaders } = require("next/dist/server/lib/server-ipc/utils");
const { matchHas } = require("next/dist/shared/lib/router/utils/prepare-destination");
const { splitCookiesString } = require("next/dist/server/web/utils");
const { ResponseAborted } = require("next/dist/server/web/spec-extension/adapters/next-request");
const { releaseCompressionStream } = require("next/dist/server/lib/release-compression-stream");

/** Headers that make Next treat a request specially (RSC, server actions, router state): Next's. */
const NEXT_REQUEST_HEADERS = ["rsc", "next-action", "next-router-state-tree", "next-router-prefetch", "next-router-segment-prefetch", "next-url", "next-hmr-refresh"];
/** Response headers sendResponse never copies (the body may have been decoded; Node frames it). */
const FORBIDDEN_HEADERS = new Set(["content-length", "content-encoding", "transfer-encoding", "x-middleware-set-cookie"]);
const APP_VARY = "rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch";
const MULTI_VALUED = new Set(["set-cookie", "www-authenticate", "proxy-authenticate", "vary"]);
/** lib/api/error-reply.ts's BODY_TEXT: the text of a Response's body, kept beside its stream. */
const BODY_TEXT = Symbol.for("llmhub.bodyText");
/** lib/gateway/request.ts's: a route function's entry for Node's own request and response, and the body writer of its answer. */
const NODE_ENTRY = Symbol.for("llmhub.gateway.nodeEntry");
const NODE_BODY = Symbol.for("llmhub.gateway.nodeBody");

const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));

/**
 * Builds the fast path for the production build in `distDir`. Returns `(req, res) => boolean`:
 * true when it took the request (then it answers it, asynchronously), false for Next to serve.
 * Returns null (no fast path) when the build has something it does not reproduce: a header rule
 * with parameters, a basePath, i18n, trailing slashes, rewrites or redirects.
 */
export async function createFastPath({ distDir, hostname, port, log = console }) {
  const routesManifest = readJson(path.join(distDir, "routes-manifest.json"));
  const { config } = readJson(path.join(distDir, "required-server-files.json"));
  const rewrites = routesManifest.rewrites ?? {};
  const hasRewrites = Array.isArray(rewrites) ? rewrites.length > 0 : Object.values(rewrites).some((r) => r.length > 0);
  const customRedirects = (routesManifest.redirects ?? []).filter((r) => !r.internal);
  const headerRules = (routesManifest.headers ?? []).map((h) => ({ ...h, re: new RegExp(h.regex, "i") }));
  const unsupported = [
    config.basePath && "basePath",
    config.i18n && "i18n",
    config.trailingSlash && "trailingSlash",
    config.skipTrailingSlashRedirect && "skipTrailingSlashRedirect",
    hasRewrites && "rewrites",
    customRedirects.length > 0 && "redirects",
    headerRules.some((h) => h.headers.some((x) => /:[A-Za-z_]/.test(x.key) || /:[A-Za-z_]/.test(x.value))) && "header rules with parameters",
  ].filter(Boolean);
  if (unsupported.length) {
    log.warn(`API fast path off: the build uses ${unsupported.join(", ")}; Next serves every request`);
    return null;
  }

  const proxyMatchers = loadProxyMatchers(distDir);
  const compress = config.compress !== false ? require("next/dist/compiled/compression")() : null;
  const origin = `http://${hostname && hostname !== "0.0.0.0" && hostname !== "::" ? (hostname.includes(":") ? `[${hostname}]` : hostname) : "localhost"}:${port}`;

  // Every API route module, loaded now: the same files (and so the same module instances) Next loads.
  const handlers = new Map();
  for (const route of loadApiRoutes(distDir)) {
    try {
      const { routeModule } = require(path.join(distDir, "server", route.file));
      await routeModule.ensureUserland?.();
      handlers.set(route.page, routeModule.userland);
    } catch (err) {
      log.warn(`API fast path: ${route.page} not loaded (Next serves it): ${err?.message ?? err}`);
    }
  }
  const match = apiMatcher(loadApiRoutes(distDir).filter((r) => handlers.has(r.page)));

  return function fastPath(req, res) {
    const url = req.url;
    if (!url || !url.startsWith("/api/")) return false;
    const q = url.indexOf("?");
    const pathname = q === -1 ? url : url.slice(0, q);
    // encoded, dotted, doubled or trailing slashes: Next decodes, normalises or redirects
    if (/[%\\]|\/\.|\/\/|\/$/.test(pathname)) return false;
    if (q !== -1 && url.includes("_rsc", q)) return false; // an RSC request (`?_rsc` or `?_rsc=…`)
    const method = req.method ?? "GET";
    if (NEXT_REQUEST_HEADERS.some((h) => req.headers[h] !== undefined)) return false;
    if (proxyMatchers.some((re) => re.test(pathname))) return false;
    const hit = match(pathname);
    if (!hit) return false;
    const fn = handlers.get(hit.route.page)[method];
    if (typeof fn !== "function") return false; // HEAD, OPTIONS, 405: Next implements them
    serve(req, res, fn, hit.params, pathname).catch((err) => {
      log.error(`API fast path: ${method} ${pathname} failed`, err);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      } else if (!res.writableEnded && !res.destroyed) {
        res.end();
      }
    });
    return true;
  };

  async function serve(req, res, fn, params, pathname) {
    // as Next's router-server and base-server do, in their order
    filterInternalHeaders(req.headers);
    // the gateway's answers all carry Cache-Control: no-transform (lib/gateway/route.ts), which the
    // compression honours: installing it for them would change no byte
    const nodeEntry = fn[NODE_ENTRY];
    if (compress && typeof nodeEntry !== "function") {
      compress(req, res, () => {});
      res.once("close", () => {
        if (!res.writableFinished) releaseCompressionStream(res);
      });
    }
    req.on("error", () => {});
    res.on("error", () => {});

    const resHeaders = {};
    for (const rule of headerRules) {
      if (!rule.re.test(pathname)) continue;
      if ((rule.has || rule.missing) && !matchHas(req, queryOf(req.url), rule.has, rule.missing)) continue;
      for (const { key, value } of rule.headers) resHeaders[key] = value;
    }
    for (const key of Object.keys(resHeaders)) res.setHeader(key, resHeaders[key]);
    // base-server's Vary for app routes (no interception routes: rewrites are refused above)
    res.appendHeader("vary", APP_VARY);
    // base-server fills these in after routing
    const isHttps = req.headers["x-forwarded-proto"] ? req.headers["x-forwarded-proto"] === "https" : Boolean(req.socket?.encrypted);
    req.headers["x-forwarded-host"] ??= req.headers.host ?? hostname;
    req.headers["x-forwarded-port"] ??= port ? String(port) : isHttps ? "443" : "80";
    req.headers["x-forwarded-proto"] ??= isHttps ? "https" : "http";
    req.headers["x-forwarded-for"] ??= req.socket?.remoteAddress;

    // the gateway's routes take Node's request and response as they are (no Web Request, body
    // stream or signal for them: lib/gateway/request.ts)
    if (typeof nodeEntry === "function") {
      const answer = await nodeEntry(req, res, params, origin);
      if (answer instanceof Response) await send(req, res, answer);
      else if (typeof answer?.[NODE_BODY] === "function") await sendNodeAnswer(res, answer);
      else throw new Error(`No response is returned from route handler '${pathname}'`);
      return;
    }

    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (Array.isArray(v)) for (const x of v) headers.append(k, x);
      else if (v !== undefined) headers.append(k, v);
    }
    const method = req.method ?? "GET";
    // a request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112, 6.3): no
    // body stream for it (a DELETE's Web streams were ~2% of its CPU); reading it gives "" either way
    const hasBody =
      method !== "GET" && method !== "HEAD" && (req.headers["transfer-encoding"] !== undefined || (req.headers["content-length"] ?? "0") !== "0");
    const request = new NextRequest(`${origin}${req.url}`, {
      method,
      headers,
      body: hasBody ? req : null,
      duplex: hasBody ? "half" : undefined,
    });
    clientAbortSignal(request, res);
    const response = await fn(request, { params: Promise.resolve(params) });
    if (!(response instanceof Response)) throw new Error(`No response is returned from route handler '${pathname}'`);
    await send(req, res, response);
  }
}

/**
 * `request.signal` aborts (with Next's ResponseAborted) when the client goes away before its answer
 * is written, as Next's `createAbortController(res)` makes it. It is made only when a handler reads
 * it (the gateway does; the rest of the API does not): handing a signal to the Request's constructor
 * makes undici follow it with a signal of its own, a WeakRef and a FinalizationRegistry entry per
 * request (a DELETE's answer on this path cost 8-39% less CPU without it in four alternating A/B
 * pairs, the machine drifting: bench/NOTES.md). A copy made with `new Request(request)` does not
 * follow this signal; no handler makes one.
 */
function clientAbortSignal(request, res) {
  let controller = null;
  let left = false;
  res.once("close", () => {
    if (res.writableFinished) return;
    left = true;
    controller?.abort(new ResponseAborted());
  });
  Object.defineProperty(request, "signal", {
    configurable: true,
    get() {
      if (!controller) {
        controller = new AbortController();
        if (left) controller.abort(new ResponseAborted());
      }
      return controller.signal;
    },
  });
}

/** A response header as Next's sendResponse copies one. */
function copyHeader(res, value, name) {
  if (FORBIDDEN_HEADERS.has(name)) return;
  if (name === "set-cookie") {
    for (const cookie of splitCookiesString(value)) res.appendHeader(name, cookie);
  } else if (MULTI_VALUED.has(name) || res.getHeader(name) === undefined) {
    res.appendHeader(name, value);
  }
}

/**
 * A gateway NodeAnswer (lib/gateway/request.ts): its status and headers as send() sends a
 * Response's (in name order, as a Headers iterates them), then its body writer.
 */
async function sendNodeAnswer(res, answer) {
  res.statusCode = answer.status;
  res.statusMessage = "";
  const names = [...answer.headers.keys()].sort();
  for (const name of names) copyHeader(res, answer.headers.get(name), name);
  await answer[NODE_BODY](res);
}

/** Next's sendResponse, for a plain Node response. */
async function send(req, res, response) {
  res.statusCode = response.status;
  res.statusMessage = response.statusText;
  response.headers.forEach((value, name) => copyHeader(res, value, name));
  const writeBody = response[NODE_BODY];
  if (typeof writeBody === "function") {
    await writeBody(res);
    return;
  }
  if (!response.body || req.method === "HEAD") {
    res.end();
    return;
  }
  const text = response[BODY_TEXT];
  if (typeof text === "string" && !response.bodyUsed) {
    // what pipeToNodeResponse does with a body of one chunk, without reading the stream: the same
    // bytes (chunked framing, a flush for the compressor)
    if (res.errored || res.destroyed) return;
    res.write(text);
    if (typeof res.flush === "function") res.flush();
    res.end();
    return;
  }
  await pipeBody(response.body, res);
}

/**
 * What Next's pipeToNodeResponse does, without its Web-stream machinery (a WritableStream, pipeTo
 * and an AbortController per answer: ~6% of the busy time in a profile of bench:gateway): each
 * chunk is written and flushed as it comes, a full socket waits for
 * `drain` (one listener per answer: the compressor forwards `on` to its zlib stream but not `off`),
 * the body is cancelled when the client leaves, and an error of the body destroys the answer (the
 * client sees it cut short) and is thrown unless it is an abort.
 */
async function pipeBody(body, res) {
  if (res.errored || res.destroyed) return;
  const reader = body.getReader();
  let wake = null;
  const onDrain = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  res.on("drain", onDrain);
  let clientLeft = false;
  res.once("close", () => {
    res.off("drain", onDrain);
    if (!res.writableFinished) {
      clientLeft = true;
      reader.cancel(new ResponseAborted()).catch(() => {});
    }
    onDrain();
  });
  // Chunks (and the end) that arrive in the same turn of the event loop leave in one write
  // (server/cork.mjs). The headers leave with the first chunk (Next flushes them alone first: the
  // same bytes, one write more).
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      corkForThisTick(res.socket);
      const ok = res.write(value);
      if (typeof res.flush === "function") res.flush();
      if (!ok && !res.destroyed) await new Promise((resolve) => (wake = resolve));
    }
  } catch (err) {
    if (!res.destroyed) res.destroy(err);
    if (clientLeft || err?.name === "AbortError" || err?.name === "ResponseAborted") return;
    throw new Error("failed to pipe response", { cause: err });
  }
  if (!res.writableFinished && !res.destroyed) res.end();
}

function queryOf(url) {
  const i = url.indexOf("?");
  return i === -1 ? {} : Object.fromEntries(new URLSearchParams(url.slice(i + 1)));
}

/** proxy.ts's matchers (regexes over the pathname) from the build's manifests; [] without one. */
function loadProxyMatchers(distDir) {
  const out = [];
  for (const file of ["middleware-manifest.json", "functions-config-manifest.json"]) {
    let manifest;
    try {
      manifest = readJson(path.join(distDir, "server", file));
    } catch {
      continue;
    }
    const fns = { ...(manifest.middleware ?? {}), ...(manifest.functions ?? {}) };
    for (const [name, fn] of Object.entries(fns)) {
      if (file === "functions-config-manifest.json" && name !== "/_middleware") continue;
      for (const m of fn.matchers ?? []) out.push(new RegExp(m.regexp));
    }
  }
  return out;
}
