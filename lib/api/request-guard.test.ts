import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installRequestGuard } from "./request-guard";

// The guard patches Node's http prototypes for the whole process, as instrumentation.ts does in the
// app (each test file runs in a process of its own).
installRequestGuard(0);

interface Seen {
  ownWriteHead: boolean;
  /** The response's own properties that hide a method of its prototype chain. */
  shadowing: string[];
  forwardedFor: string | undefined;
}

let server: http.Server;
let port = 0;
const seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ ownWriteHead: Object.hasOwn(res, "writeHead"), shadowing: Object.keys(res).filter((k) => typeof (Object.getPrototypeOf(res) as Record<string, unknown>)[k] === "function"), forwardedFor: req.headers["x-forwarded-for"] as string | undefined });
    if (req.url === "/early") {
      // answered before the body is read (a 413 past a limit, a 401 to a POST)
      res.writeHead(413, { "content-type": "text/plain" }).end("too large");
      return;
    }
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "text/plain" }).end("ok"));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** Sends raw bytes on a new connection; resolves with everything read until the server closes or `ms` pass. */
function exchange(bytes: string, ms = 1500): Promise<{ text: string; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1");
    let text = "";
    let closedByServer = false;
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ text, closedByServer });
    }, ms);
    s.on("data", (d) => (text += d.toString("latin1")));
    s.on("end", () => {
      closedByServer = true;
      clearTimeout(timer);
      s.destroy();
      resolve({ text, closedByServer });
    });
    s.on("error", reject);
    s.write(bytes);
  });
}

describe("request guard", () => {
  it("changes no response's shape: no method of its own on any response", async () => {
    seen.length = 0;
    const r = await fetch(`http://127.0.0.1:${port}/plain`, { method: "POST", body: "hello" });
    expect(r.status).toBe(200);
    expect(seen).toHaveLength(1);
    // a writeHead of each response's own (how this guard was first written) cost a bare pass-through
    // served by the app ~0.07 ms of CPU per request (bench/NOTES.md)
    expect(seen[0]!.ownWriteHead).toBe(false);
    expect(seen[0]!.shadowing).toEqual([]);
  });

  it("replaces X-Forwarded-For with the address it can vouch for (TRUST_PROXY=0: the socket's)", async () => {
    seen.length = 0;
    await fetch(`http://127.0.0.1:${port}/plain`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(seen[0]!.forwardedFor).toBe("127.0.0.1");
  });

  it("closes the connection after an answer given before the body all arrived", async () => {
    // 100,000 bytes announced, 10 sent: the handler answers at once
    const { text, closedByServer } = await exchange(`POST /early HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n0123456789`, 4000);
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text.toLowerCase()).toContain("\r\nconnection: close\r\n");
    expect(text).toContain("too large");
    expect(closedByServer).toBe(true);
  });

  it("keeps the connection of an answer given after the whole body", async () => {
    const { text, closedByServer } = await exchange(`POST /plain HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello`, 500);
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    expect(text.toLowerCase()).not.toContain("connection: close");
    expect(closedByServer).toBe(false);
  });

  it("answers an /api path with a broken %-escape with the API's 400", async () => {
    const { text } = await exchange(`GET /api/v1/x%zz HTTP/1.1\r\nHost: x\r\n\r\n`, 500);
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain('"code":"invalid_request"');
  });
});
