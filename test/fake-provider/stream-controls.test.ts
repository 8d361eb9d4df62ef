// The timing and failure controls a gateway test drives through the model name, over raw HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { behaviourFor } from "./controls";
import { startFakeProvider, type FakeProvider, type RecordedRequest } from "./server";

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake.close());

const chat = (model: string, opts: { stream?: boolean; signal?: AbortSignal; key?: string } = {}) =>
  fetch(`${fake.baseUrls.openai}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${opts.key ?? "sk-test-0123456789"}`, "content-type": "application/json" },
    body: JSON.stringify({ model, stream: opts.stream ?? true, messages: [{ role: "user", content: "hi" }] }),
    signal: opts.signal,
  });

const recordOf = (model: string): RecordedRequest => fake.requests.filter((r) => r.inference?.model === model).at(-1)!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, ms = 2000): Promise<void> {
  for (const end = Date.now() + ms; !check(); await sleep(10)) if (Date.now() > end) throw new Error("condition not met in time");
}

/** Reads SSE text until `count` content deltas have arrived; returns the reader to go on with. */
async function readContentChunks(res: Response, count: number) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while ((text.match(/"content":"[^"]+"/g) ?? []).length < count) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended after: ${text}`);
    text += decoder.decode(value);
  }
  return reader;
}

describe("model-name controls", () => {
  it("parse from anywhere in the model id and combine", () => {
    expect(behaviourFor("openrouter/meta-llama/llama-drip-50x20-ttfb-100-cached")).toMatchObject({ dripChunks: 50, dripIntervalMs: 20, ttfbMs: 100, cached: true, reasoning: false });
    expect(behaviourFor("gpt-4o-mini")).toMatchObject({ dripChunks: null, ttfbMs: 0, fail: null, echoKey: false, idleAfter: null, resetAfter: null, words: 5 });
    expect(behaviourFor("m-fail-429").fail).toEqual({ status: 429, kind: "ratelimit" });
    expect(behaviourFor("m-idle-after-0").idleAfter).toBe(0);
  });

  it("ttfb-M holds the status line back M ms, plus the fake's global latency", async () => {
    const t0 = performance.now();
    const res = await chat("m-ttfb-150", { stream: false });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145);
    await res.json();
    expect(recordOf("m-ttfb-150").inference!.chunkTimes[0]).toBeGreaterThanOrEqual(150);
    fake.setLatency(60);
    try {
      const t1 = performance.now();
      await (await chat("m-ttfb-40", { stream: false })).json();
      expect(performance.now() - t1).toBeGreaterThanOrEqual(95);
    } finally {
      fake.setLatency(0);
    }
  });

  it("a client that goes away mid-stream is noticed: the fake stops writing and records aborted", async () => {
    const ac = new AbortController();
    const res = await chat("m-drip-20x40", { signal: ac.signal });
    await readContentChunks(res, 2);
    ac.abort();
    const rec = () => recordOf("m-drip-20x40").inference!;
    await until(() => rec().aborted);
    const written = rec().chunkTimes.length;
    await sleep(150);
    expect(rec().chunkTimes.length).toBe(written);
    expect(written).toBeLessThan(20);
    expect(rec()).toMatchObject({ completed: false, usageSent: false, status: 200 });
  });

  it("idle-after-N: N chunks, then silence with the connection open until the client gives up", async () => {
    const ac = new AbortController();
    const res = await chat("m-idle-after-2", { signal: ac.signal });
    const reader = await readContentChunks(res, 2);
    const next = reader.read().then(() => "data" as const, () => "closed" as const);
    expect(await Promise.race([next, sleep(300).then(() => "silent" as const)])).toBe("silent");
    expect(recordOf("m-idle-after-2").inference).toMatchObject({ aborted: false, completed: false });
    ac.abort();
    await until(() => recordOf("m-idle-after-2").inference!.aborted);
  });

  it("reset-after-N: N chunks, then the connection is destroyed (not counted as a client abort)", async () => {
    const res = await chat("m-reset-after-1");
    const reader = await readContentChunks(res, 1);
    await expect((async () => {
      for (;;) if ((await reader.read()).done) return "ended cleanly";
    })()).rejects.toThrow();
    await until(() => fake.requests.some((r) => r.inference?.model === "m-reset-after-1" && r.inference.chunkTimes.length === 1));
    expect(recordOf("m-reset-after-1").inference).toMatchObject({ aborted: false, completed: false });
  });

  it("a non-streamed answer under reset-after sends its headers and half its body, then cuts", async () => {
    const res = await chat("m-reset-after-0", { stream: false });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it("the hang key never answers; the record notices when the client gives up", async () => {
    const ac = new AbortController();
    const pending = chat("m-hang", { key: "sk-hang-0123456789", signal: ac.signal }).catch(() => "aborted");
    await until(() => recordOf("m-hang") !== undefined);
    await sleep(50);
    expect(recordOf("m-hang").inference).toMatchObject({ status: null, aborted: false });
    ac.abort();
    expect(await pending).toBe("aborted");
    await until(() => recordOf("m-hang").inference!.aborted);
  });

  it("close() ends idle streams at once", async () => {
    const other = await startFakeProvider();
    const res = await fetch(`${other.baseUrls.openai}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-x", "content-type": "application/json" },
      body: JSON.stringify({ model: "m-idle-after-1", stream: true, messages: [] }),
    });
    expect(res.status).toBe(400); // no messages: refused before any stream starts
    const open = await fetch(`${other.baseUrls.openai}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-x", "content-type": "application/json" },
      body: JSON.stringify({ model: "m-idle-after-1", stream: true, messages: [{ role: "user", content: "x" }] }),
    });
    await readContentChunks(open, 1);
    const t0 = performance.now();
    await other.close();
    expect(performance.now() - t0).toBeLessThan(500);
  });
});
