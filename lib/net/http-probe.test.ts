import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeProvider, type FakeProvider } from "../../test/fake-provider/server";
import { probe, ProbeError } from "./http-probe";

let fake: FakeProvider;
let redirector: http.Server;
let redirectorPort = 0;
const redirectorSockets = new Set<Socket>();

beforeAll(async () => {
  fake = await startFakeProvider();
  redirector = http.createServer((req, res) => {
    res.writeHead(302, { location: `${fake.url}/openai/v1/models`, "x-seen-host": req.headers.host ?? "" });
    res.end();
  });
  redirector.on("connection", (s: Socket) => {
    redirectorSockets.add(s);
    s.on("close", () => redirectorSockets.delete(s));
  });
  await new Promise<void>((resolve) => redirector.listen(0, "127.0.0.1", resolve));
  redirectorPort = (redirector.address() as AddressInfo).port;
});
afterAll(async () => {
  await fake.close();
  for (const s of redirectorSockets) s.destroy();
  await new Promise<void>((resolve) => redirector.close(() => resolve()));
});

const bearer = (key: string) => ({ authorization: `Bearer ${key}`, accept: "application/json" });

describe("probe", () => {
  it("returns status, lower-case headers and body", async () => {
    const r = await probe({ url: new URL(`${fake.baseUrls.openai}/models`), method: "GET", headers: bearer("sk-ok"), timeoutMs: 2000 });
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(r.bodyText).data).toHaveLength(42);
    expect(r.truncated).toBe(false);
  });

  it("does not follow redirects", async () => {
    const before = fake.requests.length;
    const r = await probe({ url: new URL(`http://127.0.0.1:${redirectorPort}/v1/models`), method: "GET", headers: {}, timeoutMs: 2000 });
    expect(r.status).toBe(302);
    expect(fake.requests.length).toBe(before);
  });

  it("connects to a pinned address but keeps the URL's Host", async () => {
    const r = await probe({
      url: new URL(`http://llm.example.invalid:${redirectorPort}/v1/models`),
      method: "GET",
      headers: {},
      address: { address: "127.0.0.1", family: 4 },
      timeoutMs: 2000,
    });
    expect(r.headers["x-seen-host"]).toBe(`llm.example.invalid:${redirectorPort}`);
  });

  it("cuts the body at maxBytes", async () => {
    const r = await probe({ url: new URL(`${fake.baseUrls.openai}/models`), method: "GET", headers: bearer("sk-huge"), timeoutMs: 5000, maxBytes: 4096 });
    expect(r).toMatchObject({ status: 200, truncated: true });
    expect(Buffer.byteLength(r.bodyText)).toBeLessThanOrEqual(4096);
  });

  it("rejects with a timeout ProbeError and closes the connection", async () => {
    const err = await probe({ url: new URL(`${fake.baseUrls.openai}/models`), method: "GET", headers: bearer("sk-hang-SECRET"), timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProbeError);
    expect(err).toMatchObject({ kind: "timeout" });
    expect(String((err as Error).message)).not.toContain("SECRET");
  });

  it("rejects with unreachable on reset and on refused connections, naming only the code", async () => {
    const reset = await probe({ url: new URL(`${fake.baseUrls.openai}/models`), method: "GET", headers: bearer("sk-reset-SECRET"), timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(reset).toMatchObject({ kind: "unreachable", code: "ECONNRESET" });
    const refused = await probe({ url: new URL("http://127.0.0.1:1/"), method: "GET", headers: bearer("sk-SECRET"), timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: "unreachable", message: "connection refused (ECONNREFUSED)" });
  });

  it("sends a POST with content-length 0 when there is no body", async () => {
    const r = await probe({ url: new URL(`${fake.baseUrls.cohere}/v1/check-api-key`), method: "POST", headers: bearer("co-ok"), timeoutMs: 2000 });
    expect(r.status).toBe(200);
    expect(fake.requests[fake.requests.length - 1]?.headers["content-length"]).toBe("0");
  });
});
