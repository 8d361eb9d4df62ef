// The bench's floor proxy and streaming client against the fake provider, over real HTTP: the proxy
// must forward (the fake sees the request) and stream (chunks keep their spacing), and the client
// must time each chunk as it arrives.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeProvider, type FakeProvider } from "../test/fake-provider/server";
import { freePort } from "../test/support/app-process";
import { lateness, streamOnce } from "./stream-client";

let fake: FakeProvider;
let proxy: ChildProcess;
let proxyUrl: string;
const KEY = "sk-proj-bench-test-0123456789";
const body = (model: string, stream: boolean) => JSON.stringify({ model, stream, messages: [{ role: "user", content: "hi" }] });

beforeAll(async () => {
  fake = await startFakeProvider();
  const port = await freePort();
  proxyUrl = `http://127.0.0.1:${port}`;
  proxy = spawn(process.execPath, ["--import", "tsx", "bench/passthrough.ts"], { env: { ...process.env, PORT: String(port), UPSTREAM: fake.baseUrls.openai }, stdio: "ignore" });
  for (const end = Date.now() + 20_000; ; await new Promise((r) => setTimeout(r, 100))) {
    const up = await fetch(`${proxyUrl}/`).then((r) => r.status === 404, () => false);
    if (up) break;
    if (Date.now() > end) throw new Error("the pass-through proxy did not start");
  }
}, 30_000);
afterAll(async () => {
  proxy?.kill("SIGTERM");
  await fake?.close();
});

describe("bench/passthrough.ts and bench/stream-client.ts", () => {
  it("forward a chat to the fake with the client's key and return its answer", async () => {
    const res = await fetch(`${proxyUrl}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" }, body: body("gpt-4o-mini", false) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { object: string }).object).toBe("chat.completion");
    const seen = fake.requests.at(-1)!;
    expect(seen.path).toBe("/openai/v1/chat/completions");
    expect(seen.keyLength).toBe(KEY.length);
  });

  it("stream chunk by chunk: 10 chunks 30 ms apart arrive spread over ~270 ms, each on time", async () => {
    const s = await streamOnce(new http.Agent(), { url: proxyUrl, path: "/v1/chat/completions", headers: { authorization: `Bearer ${KEY}` } }, body("gpt-4o-mini-drip-10x30", true));
    expect(s.status).toBe(200);
    expect(s.contentType).toMatch(/^text\/event-stream/);
    expect(s.done).toBe(true);
    expect(s.contentMs).toHaveLength(10);
    const spread = s.contentMs[9]! - s.contentMs[0]!;
    expect(spread).toBeGreaterThan(240);
    const wrote = fake.requests.at(-1)!.inference!.chunkTimes;
    expect(wrote).toHaveLength(10);
    // the spacing the fake wrote is the spacing the client saw, within timer noise
    expect(lateness(s.contentMs.map((c, i) => c - wrote[i]!))).toBeLessThan(25);
  });

  it("lateness: a constant delay is none; holding the first chunk back is", () => {
    expect(lateness([5, 5, 5])).toBe(0);
    expect(lateness([30, 2, 2, 2])).toBe(28);
  });
});
