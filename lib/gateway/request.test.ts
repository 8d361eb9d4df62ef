// The gateway's request as `npm start`'s fast path hands it over (Node's own request and response),
// against a real node:http server: it must read like the Web Request Next would have built from the
// same request — headers, body, limits, the client leaving.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { NodeGatewayRequest } from "./request";

let server: http.Server;
let port = 0;
/** What the test wants done with the next request on the server side. */
let onRequest: (req: IncomingMessage, res: ServerResponse) => void = () => {};

beforeAll(async () => {
  server = http.createServer((req, res) => onRequest(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The next request as a NodeGatewayRequest, and its response (ended by the caller). */
function nextRequest(): Promise<{ request: NodeGatewayRequest; res: ServerResponse; req: IncomingMessage }> {
  return new Promise((resolve) => {
    onRequest = (req, res) => resolve({ request: new NodeGatewayRequest(req, res, `http://127.0.0.1:${port}`), res, req });
  });
}

/** Writes raw bytes on a fresh connection; returns the socket. */
function raw(text: string): net.Socket {
  const s = net.connect(port, "127.0.0.1", () => s.write(text));
  s.on("error", () => {});
  s.resume(); // read (and drop) the answer, so that the server's close is seen
  return s;
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("NodeGatewayRequest", () => {
  it("reads method, URL and headers as a Web Request would (repeated headers joined, names lowercase)", async () => {
    const next = nextRequest();
    const s = raw("POST /api/v1/llm/gateway/v1/chat/completions?x=%2F1 HTTP/1.1\r\nHost: h\r\nX-Custom: a\r\nx-custom: b\r\nAuthorization: Bearer k\r\nContent-Length: 2\r\n\r\n{}");
    const { request, req, res } = await next;
    expect(request.method).toBe("POST");
    expect(request.url).toBe(`http://127.0.0.1:${port}/api/v1/llm/gateway/v1/chat/completions?x=%2F1`);
    const web = new Headers();
    for (const [k, v] of Object.entries(req.headers)) for (const x of Array.isArray(v) ? v : [v!]) web.append(k, x);
    for (const name of ["x-custom", "X-Custom", "authorization", "content-length", "missing"]) expect(request.headers.get(name)).toBe(web.get(name));
    const seen: Record<string, string> = {};
    request.headers.forEach((v, k) => (seen[k] = v));
    expect(seen).toEqual(Object.fromEntries(web));
    expect(Buffer.from(await request.bytes(1024)).toString()).toBe("{}");
    res.end();
    s.destroy();
  });

  it("reads a chunked body whole, and a GET's as empty", async () => {
    const next = nextRequest();
    const s = raw('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n3\r\n12}\r\n0\r\n\r\n');
    const { request, res } = await next;
    expect(Buffer.from(await request.bytes(1024)).toString()).toBe('{"a":12}');
    res.end();
    s.destroy();
    const get = nextRequest();
    const g = raw("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999\r\n\r\n");
    const { request: r2, res: res2 } = await get;
    expect((await r2.bytes(10)).byteLength).toBe(0);
    res2.end();
    g.destroy();
  });

  it("refuses a declared length past the limit unread, and a chunked body at the first chunk past it (413)", async () => {
    const next = nextRequest();
    const s = raw("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n");
    const { request, res } = await next;
    const declared = await failure(request.bytes(10));
    expect([declared.status, declared.code]).toEqual([413, "payload_too_large"]);
    res.end();
    s.destroy();

    const chunked = nextRequest();
    const c = raw("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n");
    const got = await chunked;
    const pending = got.request.bytes(10);
    c.write("8\r\n12345678\r\n"); // 16 bytes: past the limit of 10, and the end never comes
    const err = await failure(pending);
    expect([err.status, err.code]).toEqual([413, "payload_too_large"]);
    got.res.end();
    c.destroy();
  });

  it("a body that stops short of its length is 400 incomplete_body, not a hang", async () => {
    const next = nextRequest();
    const s = raw("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n{\"model\":");
    const { request } = await next;
    const pending = request.bytes(1024);
    setTimeout(() => s.destroy(), 20);
    const err = await failure(pending);
    expect([err.status, err.code, err.detail]).toEqual([400, "incomplete_body", "Request body ended before its declared Content-Length"]);
  });

  it("its signal aborts when the client goes away before the answer, and not after a whole answer", async () => {
    const next = nextRequest();
    const s = raw("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    const { request } = await next;
    const signal = request.signal;
    expect(signal.aborted).toBe(false);
    s.destroy();
    await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    expect(signal.aborted).toBe(true);

    // read for the first time after the client left: already aborted
    const late = nextRequest();
    const s2 = raw("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    const { request: r2, res: res2 } = await late;
    s2.destroy();
    await new Promise((resolve) => res2.once("close", resolve));
    expect(r2.signal.aborted).toBe(true);

    const done = nextRequest();
    const s3 = raw("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    const { request: r3, res: res3 } = await done;
    const signal3 = r3.signal;
    await new Promise<void>((resolve) => res3.end("ok", () => resolve()));
    await new Promise((resolve) => s3.once("close", resolve));
    expect(signal3.aborted).toBe(false);
  });

  it("its signal calls each listener once, in order, not one that was removed, and goes on past one that throws", async () => {
    const next = nextRequest();
    const s = raw("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    const { request } = await next;
    const calls: string[] = [];
    const a = () => calls.push("a");
    const b = () => calls.push("b");
    const thrower = () => {
      throw new Error("listener failed");
    };
    request.signal.addEventListener("abort", a);
    request.signal.addEventListener("abort", a); // once, as on an AbortSignal
    request.signal.addEventListener("abort", thrower);
    request.signal.addEventListener("abort", b, { once: true });
    const removed = () => calls.push("removed");
    request.signal.addEventListener("abort", removed);
    request.signal.removeEventListener("abort", removed);
    s.destroy();
    await vi.waitFor(() => expect(calls).toEqual(["a", "b"]));
    expect(request.signal.aborted).toBe(true);
    // after the abort, nothing more is called
    request.signal.addEventListener("abort", () => calls.push("late"));
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toEqual(["a", "b"]);
  });
});
