// Paths and transport: a %-escape that does not decode, a method a route does not serve, and
// requests that fetch will not send (wrong Content-Length, Content-Length with Transfer-Encoding,
// bytes that are not UTF-8, half-closed bodies, oversized headers) are refused with a 4xx, never a 5xx,
// and change nothing.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { INFO, KEYS, ME, TEST } from "../support/api";
import type { ApiResponse } from "../support/client";
import { serverLog } from "../support/server-log";
import { hasBadEscape, idArb, idPath } from "./support/arbitraries";
import { secAdmin } from "./support/context";
import { Findings, pool, sample, snapshot } from "./support/fuzz";
import { keysOf } from "./support/key-pool";
import { head, type RawResponse, rawRequest } from "./support/raw-http";
import { appendTally, expectedAudit, routeOf, SecClient, secSignedIn } from "./support/sec-client";

const LABEL = "paths-transport";
let admin: SecClient;
let anon: SecClient;
const UUID = "00000000-0000-4000-8000-000000000000";
const jsonError = (r: ApiResponse) => (typeof r.body?.detail === "string" && typeof r.body?.code === "string" ? null : "no {detail, code}");

/** Sends over a bare socket as the admin, and books it like the shared client does. */
async function raw(method: string, path: string, headers: Record<string, string>, body: Buffer | string, opts?: { halfClose?: boolean; waitMs?: number }): Promise<RawResponse> {
  const ua = admin.defaultHeaders["user-agent"]!;
  const res = await rawRequest(head(method, path, { "user-agent": ua, cookie: `session_token=${admin.cookie("session_token")}`, ...headers }), body, opts);
  const hit = routeOf(method, path);
  appendTally({ label: LABEL, endpoint: hit.endpoint, status: res.status, audit: res.status ? expectedAudit(hit, res as unknown as ApiResponse, false) : null });
  return res;
}

describe("paths", () => {
  beforeAll(async () => {
    admin = await secSignedIn(LABEL, secAdmin("misc"));
    anon = new SecClient(LABEL);
  });

  it("answers a %-escape that does not decode with a 4xx {detail, code}, never a 500", async () => {
    const fixed = ["%zz", "%", "%E0%A4%A", "%C0%AE", "%FF", "abc%2", "%uD800"].flatMap((bad) => [`${KEYS}/${bad}`, `${KEYS}/${bad}/health`, `${ME}/${bad}`, `/api/v1/${bad}`]);
    const fuzzed = sample(idArb.map((id) => idPath(KEYS, `${id}%${id.length % 2 ? "z" : "E0%A4%A"}`, true)), 200).filter(hasBadEscape);
    const before = await snapshot();
    const f = new Findings();
    await pool([...fixed, ...fixed, ...fuzzed].map((p, i) => [i, p] as const), async ([i, path]) => {
      const method = ["GET", "PATCH", "DELETE"][i % 3]!;
      const client = i % 2 ? admin : anon;
      const res = await client.request(method, path, method === "PATCH" ? { enabled: false } : undefined);
      f.check(routeOf(method, path).endpoint, { method, path }, res, (r) => (r.status >= 400 && r.status < 500 ? jsonError(r) : "expected a 4xx"));
    });
    expect(await snapshot()).toBe(before);
    f.assertClean();
  });

  it("answers a method a route does not serve with 405 {detail, code}", async () => {
    const routes: [string, string[]][] = [
      ["/api/v1/auth/login", ["GET", "PUT", "PATCH", "DELETE"]],
      ["/api/v1/auth/logout", ["GET", "PUT", "PATCH", "DELETE"]],
      [ME, ["POST", "PUT", "PATCH", "DELETE"]],
      [KEYS, ["PUT", "PATCH", "DELETE"]],
      [TEST, ["GET", "PUT", "PATCH", "DELETE"]],
      [INFO, ["POST", "PUT", "PATCH", "DELETE"]],
      [`${KEYS}/${UUID}`, ["GET", "POST", "PUT"]],
    ];
    const before = await snapshot();
    const f = new Findings();
    for (const [path, methods] of routes) {
      for (const method of methods) {
        const res = await admin.request(method, path, method === "GET" ? undefined : {});
        f.check(`${method} ${path}`, { method, path }, res, (r) => (r.status === 405 ? jsonError(r) : "expected 405"));
      }
    }
    expect(await snapshot()).toBe(before);
    f.assertClean();
  });
});

describe("transport", () => {
  const json = { "content-type": "application/json" };
  const body = () => JSON.stringify({ provider_type: "openai", api_key: keysOf("openai", "", 1)[0] });
  let logBefore = 0;
  let before = "";

  beforeAll(async () => {
    logBefore = serverLog().length;
    before = await snapshot();
  });

  it("reads no further than a short Content-Length", async () => {
    // the first 26 bytes are a JSON object without api_key; reading on would make the body invalid
    // JSON. (The rest, "GE", is the start of a next request on a kept-alive connection, which Node
    // waits for, so the app answers first.)
    const sent = `{"provider_type":"openai"}GE`;
    const res = await raw("POST", KEYS, { ...json, "content-length": "26", connection: "keep-alive" }, sent);
    expect(res.status, res.text).toBe(400);
    expect(res.body).toEqual({ detail: "api_key: field required", code: "invalid_request" });
  });

  it("answers a body that ends before its Content-Length (half-closed) with a 4xx or nothing, and keeps serving", async () => {
    const res = await raw("POST", KEYS, { ...json, "content-length": "500" }, body(), { halfClose: true });
    expect(res.status === 0 || (res.status >= 400 && res.status < 500), `${res.status} ${res.text}`).toBe(true);
    const stalled = await raw("POST", TEST, { ...json, "content-length": "500" }, body(), { waitMs: 1500 });
    expect(stalled.status === 0 || stalled.status < 500, `${stalled.status}`).toBe(true);
    expect((await admin.get(ME)).status).toBe(200);
  });

  it("refuses a declared or streamed body over 64 KiB with 413", async () => {
    const declared = await raw("POST", KEYS, { ...json, "content-length": "10000000" }, body());
    expect(declared.status, declared.text).toBe(413);
    expect(declared.body).toMatchObject({ code: "payload_too_large" });
    const big = `{"provider_type":"openai","api_key":"${"a".repeat(70_000)}"}`;
    const chunked = await raw("POST", TEST, { ...json, "transfer-encoding": "chunked" }, `${big.length.toString(16)}\r\n${big}\r\n0\r\n\r\n`);
    expect(chunked.status, chunked.text).toBe(413);
    expect(chunked.body).toMatchObject({ code: "payload_too_large" });
  });

  it("refuses Content-Length together with Transfer-Encoding (request smuggling) with 400", async () => {
    const res = await raw("POST", TEST, { ...json, "content-length": "4", "transfer-encoding": "chunked" }, `0\r\n\r\nPOST ${KEYS} HTTP/1.1\r\n\r\n`);
    expect(res.status).toBe(400);
  });

  it("refuses bodies that are not UTF-8 with a 400 JSON error", async () => {
    const bytes = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 64 }), { numRuns: 40, seed: 5 });
    for (const b of bytes) {
      const payload = Buffer.concat([Buffer.from('{"provider_type":"'), Buffer.from(b), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
      const res = await raw("POST", TEST, { ...json, "content-length": String(payload.length) }, payload);
      expect(res.status, res.text).toBe(400);
      expect(typeof res.body?.code).toBe("string");
    }
  });

  it("refuses headers over Node's 16 KiB limit at the HTTP layer (431), and still serves a big cookie below it", async () => {
    const huge = await raw("GET", ME, { "x-pad": "x".repeat(20_000) }, "");
    expect(huge.status).toBe(431);
    const res = await anon.get(ME, { cookie: `${"a=b; ".repeat(1500)}session_token=${"Q".repeat(5000)}` });
    expect(res.status, res.text).toBe(401);
    expect(res.body.code).toBe("not_authenticated");
  });

  it("changed nothing and logged no unhandled error", async () => {
    expect(await snapshot()).toBe(before);
    expect(serverLog().slice(logBefore)).not.toMatch(/Unhandled error|ERROR/);
  });
});
