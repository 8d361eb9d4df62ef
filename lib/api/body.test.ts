import { describe, expect, it } from "vitest";
import { isDatabaseOutage } from "@/lib/errors";
import { readJsonBody } from "./body";

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
  });
});
