import { describe, expect, it } from "vitest";
import { isDatabaseOutage } from "@/lib/errors";
import { JSON_BODY_LIMIT, readBodyBytes, readJsonBody } from "./body";

const JSON_TYPE = { "content-type": "application/json" };

/** A request whose body stream fails the way Node's does when the client goes away mid-body. */
function abortedRequest(): Request {
  const aborted = Object.assign(new Error("aborted"), { code: "ECONNRESET" });
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"provider_type":'));
      controller.error(aborted);
    },
  });
  return new Request("http://app.test/api/v1/llm/providers/keys", { method: "POST", headers: { ...JSON_TYPE, "content-length": "500" }, body: stream, duplex: "half" } as RequestInit);
}

describe("readJsonBody", () => {
  it("answers a body the client stopped sending with 400 incomplete_body, not a database outage", async () => {
    const err = await readJsonBody(abortedRequest()).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: "incomplete_body", detail: "Request body ended before its declared Content-Length" });
    expect(isDatabaseOutage(err)).toBe(false);
  });

  it("reads a JSON object and refuses what is not one, naming the problem", async () => {
    const req = (body: string, headers: Record<string, string> = JSON_TYPE) => new Request("http://app.test/x", { method: "POST", headers, body });
    await expect(readJsonBody(req('{"a":1}'))).resolves.toEqual({ a: 1 });
    await expect(readJsonBody(req('{"a":1}', { "content-type": "text/plain" }))).rejects.toMatchObject({ status: 415 });
    await expect(readJsonBody(req("  "))).rejects.toMatchObject({ status: 400, detail: "Request body is empty; send a JSON object" });
    await expect(readJsonBody(req("{nope"))).rejects.toMatchObject({ status: 400, detail: "Request body is not valid JSON" });
    await expect(readJsonBody(req("[1]"))).rejects.toMatchObject({ status: 400, detail: "Request body must be a JSON object" });
    await expect(readJsonBody(req(`"${"a".repeat(70_000)}"`))).rejects.toMatchObject({ status: 413 });
    const latin1 = new Request("http://app.test/x", { method: "POST", headers: JSON_TYPE, body: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]) });
    await expect(readJsonBody(latin1)).rejects.toMatchObject({ status: 400, detail: "Request body is not valid UTF-8" });
  });
});

/** A body with no length that never ends on its own: it makes 1 KiB chunks as long as it is read. */
function endlessRequest(headers: Record<string, string> = JSON_TYPE): { req: Request; pulled: () => number; cancelled: () => boolean } {
  let pulled = 0;
  let cancelled = false;
  const chunk = new Uint8Array(1024).fill(0x20);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      cancelled = true;
    },
  });
  const req = new Request("http://app.test/x", { method: "POST", headers, body: stream, duplex: "half" } as RequestInit);
  return { req, pulled: () => pulled, cancelled: () => cancelled };
}

describe("readBodyBytes", () => {
  it("counts a body without Content-Length as it streams, and stops reading (cancels) just past the limit", async () => {
    const endless = endlessRequest();
    const err = await readJsonBody(endless.req).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 413, code: "payload_too_large", detail: "Request body is larger than 64 KiB" });
    expect(endless.cancelled()).toBe(true);
    expect(endless.pulled()).toBeLessThanOrEqual(JSON_BODY_LIMIT + 4 * 1024); // the limit and the stream's read-ahead
  });

  it("refuses a declared Content-Length over the limit without reading the body", async () => {
    const endless = endlessRequest({ ...JSON_TYPE, "content-length": String(JSON_BODY_LIMIT + 1) });
    await expect(readBodyBytes(endless.req, JSON_BODY_LIMIT)).rejects.toMatchObject({ status: 413 });
    expect(endless.pulled()).toBeLessThanOrEqual(1024); // at most the stream's own read-ahead
  });

  it("reads raw bytes up to a larger limit given by the caller, byte for byte", async () => {
    const limit = 10 * 1024 * 1024;
    const bytes = new Uint8Array(limit).map((_, i) => (i * 7) & 0xff);
    const exact = await readBodyBytes(new Request("http://app.test/x", { method: "POST", body: bytes }), limit);
    expect(exact.byteLength).toBe(limit);
    expect(Buffer.from(exact).equals(Buffer.from(bytes))).toBe(true);
    const over = new Request("http://app.test/x", { method: "POST", body: new ReadableStream({ start: (c) => (c.enqueue(bytes), c.enqueue(new Uint8Array(1)), c.close()) }), duplex: "half" } as RequestInit);
    await expect(readBodyBytes(over, limit)).rejects.toMatchObject({ status: 413, detail: "Request body is larger than 10 MiB" });
    expect(await readBodyBytes(new Request("http://app.test/x", { method: "POST" }), limit)).toEqual(new Uint8Array(0));
  });
});
