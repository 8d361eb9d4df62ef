// `npm run dev` (plain `next dev`) and `npm start` (server.mjs: Next plus the API fast path) answer
// the same requests with the same bytes: status, headers in order (less Date and request ids) and
// body, errors included, compressed or not; and a streamed gateway answer arrives chunk by chunk
// from both. Both servers run on the suite's database and Redis with the suite server's environment.
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type AppProcess, freePort, spawnLogged, waitForHttp } from "../support/app-process";
import { signedIn } from "../support/client";
import { admin, isServices } from "../support/context";
import { ensureProviderKey, issueHubKey } from "../support/gateway";

interface Raw {
  status: number;
  /** [name, value] pairs in the order they were sent. */
  headers: [string, string][];
  body: Buffer;
  /** ms after the request was sent at which each body chunk arrived */
  chunkTimes: number[];
}

/** One request with node:http: nothing decoded, no header added but `host` (fetch would add several). */
function send(base: string, method: string, p: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(`${base}${p}`, { method, headers: { ...headers, ...(body !== undefined ? { "content-length": String(Buffer.byteLength(body)) } : {}) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      const chunkTimes: number[] = [];
      res.on("data", (c: Buffer) => {
        chunks.push(c);
        chunkTimes.push(performance.now() - started);
      });
      res.on("end", () => {
        const raw = res.rawHeaders;
        const pairs: [string, string][] = [];
        for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
        resolve({ status: res.statusCode!, headers: pairs, body: Buffer.concat(chunks), chunkTimes });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Per-answer values (the time, the hub's and the provider's request ids), and the connection's own
 * framing: an answer given before the request's body was read (a 401 to a POST) closes the
 * connection, and whether the last bytes of that body had arrived by then is a matter of timing
 * (lib/api/request-guard.ts) — and `next dev`'s router reads every body before routing.
 */
const VARYING = new Set(["date", "x-llmhub-request-id", "x-request-id", "connection", "keep-alive"]);
const comparable = (r: Raw) => ({ status: r.status, headers: r.headers.filter(([k]) => !VARYING.has(k.toLowerCase())), body: r.body.toString("latin1") });

let dev: AppProcess | undefined;
let devUrl = "";
let prodUrl = "";
let cookie = "";
let hubKey = "";

describe.skipIf(!isServices())("next dev and npm start", () => {
  beforeAll(async () => {
    prodUrl = inject("baseUrl");
    const c = await signedIn(admin("dev-prod"));
    cookie = `session_token=${c.cookie("session_token")}`;
    await ensureProviderKey(c, "openai");
    hubKey = (await issueHubKey(c, { name: "dev-prod" })).key;

    const port = await freePort();
    // background key checks off: the suite's server keeps the scheduler (one lease, two instances)
    const env = { ...inject("serverEnv"), NODE_ENV: "development", HEALTH_CHECK_INTERVAL_SECONDS: "0", PORT: String(port) };
    const logPath = path.resolve("test-results/server-dev.log");
    const p = spawnLogged("next dev", process.execPath, ["node_modules/next/dist/bin/next", "dev", "-p", String(port), "-H", "127.0.0.1"], { env, logPath });
    dev = { ...p, port, url: `http://127.0.0.1:${port}` };
    devUrl = dev.url;
    await waitForHttp(dev, `${devUrl}/api/health/ready`, (s) => s === 200, 180_000);
  }, 240_000);

  afterAll(async () => {
    await dev?.stop();
  });

  const auth = () => ({ cookie });
  const bigBody = JSON.stringify({ provider_type: "openai", api_key: "x".repeat(100_000) });
  const cases: [string, string, string, () => Record<string, string>, string?][] = [
    ["liveness", "GET", "/api/health", () => ({})],
    ["liveness, gzip", "GET", "/api/health", () => ({ "accept-encoding": "gzip" })],
    ["liveness behind a TLS proxy (HSTS)", "GET", "/api/health", () => ({ "x-forwarded-proto": "https" })],
    ["list without a session (401)", "GET", "/api/v1/llm/providers/keys", () => ({})],
    ["list", "GET", "/api/v1/llm/providers/keys", auth],
    ["list, gzip", "GET", "/api/v1/llm/providers/keys", () => ({ ...auth(), "accept-encoding": "gzip, deflate, br" })],
    ["catalogue", "GET", "/api/v1/llm/providers/info", auth],
    ["unknown key (404)", "GET", "/api/v1/llm/providers/keys/00000000-0000-4000-8000-000000000000", auth],
    ["delete of an unknown id (404)", "DELETE", "/api/v1/llm/providers/keys/00000000-0000-4000-8000-000000000000", auth],
    ["invalid save (400)", "POST", "/api/v1/llm/providers/keys", () => ({ ...auth(), "content-type": "application/json" }), JSON.stringify({ provider_type: "nope" })],
    ["broken JSON (400)", "POST", "/api/v1/llm/providers/keys", () => ({ ...auth(), "content-type": "application/json" }), "{"],
    ["body over the limit (413)", "POST", "/api/v1/llm/providers/keys", () => ({ ...auth(), "content-type": "application/json" }), bigBody],
    ["foreign Origin (403)", "DELETE", "/api/v1/llm/providers/keys/00000000-0000-4000-8000-000000000000", () => ({ ...auth(), origin: "https://evil.example" })],
    ["wrong method (405)", "POST", "/api/health", () => ({})],
    ["HEAD", "HEAD", "/api/health", () => ({})],
    ["unknown API path (404)", "GET", "/api/v1/nothing/here", () => ({})],
    ["trailing slash (308)", "GET", "/api/health/", () => ({})],
    ["bad %-escape (400)", "GET", "/api/v1/llm/providers/keys/%zz", auth],
    ["gateway models", "GET", "/api/v1/llm/gateway/v1/models", () => ({ authorization: `Bearer ${hubKey}` })],
    ["gateway models, gzip", "GET", "/api/v1/llm/gateway/v1/models", () => ({ authorization: `Bearer ${hubKey}`, "accept-encoding": "gzip, deflate, br" })],
    [
      "gateway embeddings, gzip",
      "POST",
      "/api/v1/llm/gateway/v1/embeddings",
      () => ({ authorization: `Bearer ${hubKey}`, "content-type": "application/json", "accept-encoding": "gzip" }),
      JSON.stringify({ model: "openai/text-embedding-3-small", input: ["one", "two", "three", "four", "five", "six", "seven", "eight"] }),
    ],
    ["gateway refusal, gzip", "POST", "/api/v1/llm/gateway/v1/chat/completions", () => ({ authorization: `Bearer ${hubKey}`, "content-type": "application/json", "accept-encoding": "gzip" }), JSON.stringify({ model: "nowhere/x", messages: [] })],
    ["gateway without a key (401)", "POST", "/api/v1/llm/gateway/v1/chat/completions", () => ({ "content-type": "application/json" }), "{}"],
    [
      "gateway completion",
      "POST",
      "/api/v1/llm/gateway/v1/chat/completions",
      () => ({ authorization: `Bearer ${hubKey}`, "content-type": "application/json" }),
      JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
    ],
  ];

  it("answer every request with the same bytes", async () => {
    // next dev compiles each route on its first request: one pass first, not compared
    for (const [, method, p, headers, body] of cases) await send(devUrl, method, p, headers(), body);
    for (const [name, method, p, headers, body] of cases) {
      const fromDev = await send(devUrl, method, p, headers(), body);
      const fromProd = await send(prodUrl, method, p, headers(), body);
      const masked = (r: Raw) => {
        const c = comparable(r);
        // the fake provider numbers its answers and stamps them with the time
        return { ...c, body: c.body.replace(/"id":"chatcmpl-fake\d+"/g, '"id":"…"').replace(/"created":\d+/g, '"created":0') };
      };
      expect(masked(fromProd), name).toEqual(masked(fromDev));
    }
  });

  it("stream the gateway's answer as it is produced, from both", async () => {
    const body = JSON.stringify({ model: "openai/gpt-4o-mini-drip-8x150", messages: [{ role: "user", content: "count" }], stream: true });
    const headers = { authorization: `Bearer ${hubKey}`, "content-type": "application/json" };
    const fromDev = await send(devUrl, "POST", "/api/v1/llm/gateway/v1/chat/completions", headers, body);
    const fromProd = await send(prodUrl, "POST", "/api/v1/llm/gateway/v1/chat/completions", headers, body);
    const events = (r: Raw) =>
      r.body
        .toString("utf8")
        .split("\n\n")
        .filter(Boolean)
        .map((e) => e.replace(/"id":"chatcmpl-fake\d+"/g, '"id":"…"').replace(/"created":\d+/g, '"created":0'));
    expect(comparable(fromProd).headers).toEqual(comparable(fromDev).headers);
    expect(fromProd.status).toBe(200);
    expect(events(fromProd)).toEqual(events(fromDev));
    for (const r of [fromDev, fromProd]) {
      // 8 chunks 150 ms apart: more than 1 s between the first piece of the body and the last
      expect(r.chunkTimes.length, "separate chunks").toBeGreaterThanOrEqual(8);
      expect(r.chunkTimes.at(-1)! - r.chunkTimes[0]!).toBeGreaterThan(800);
    }
  });
});
