// A client that leaves mid-stream aborts the upstream request (gateway.md section 3): the fake sees
// its client (the hub) go away, and stops writing, instead of streaming the rest to nobody.
import OpenAI from "openai";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { type Client, signedIn } from "../support/client";
import { admin } from "../support/context";
import { compatBase, ensureProviderKey, HUB_KEYS, issueHubKey } from "../support/gateway";

interface FakeRecord {
  inference?: { model: string | null; aborted: boolean; completed: boolean; chunkTimes: number[] };
}

let hubKey = "";
let hubKeyId = "";
let c: Client;
beforeAll(async () => {
  c = await signedIn(admin("gateway"));
  await ensureProviderKey(c, "openai");
  ({ key: hubKey, id: hubKeyId } = await issueHubKey(c, { name: "leaver" }));
});

async function fakeRecordOf(model: string, until: (r: FakeRecord) => boolean, ms = 5000): Promise<FakeRecord | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const all = (await (await fetch(`${inject("fakeUrl")}/__fake/requests`)).json()) as FakeRecord[];
    const rec = all.find((r) => r.inference?.model === model);
    if ((rec && until(rec)) || Date.now() > deadline) return rec;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("a client that leaves mid-stream", () => {
  it("aborts the provider's stream within a moment", async () => {
    const model = `gpt-4o-mini-drip-50x100-leaver${Date.now()}`;
    const openai = new OpenAI({ apiKey: hubKey, baseURL: compatBase(), maxRetries: 0 });
    const stream = await openai.chat.completions.create({ model: `openai/${model}`, messages: [{ role: "user", content: "count" }], stream: true });
    let chunks = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta?.content && ++chunks === 3) break; // leaving the loop aborts the SDK's request
    }
    const left = performance.now();
    const rec = await fakeRecordOf(model, (r) => r.inference!.aborted);
    expect(rec?.inference?.aborted, JSON.stringify(rec?.inference)).toBe(true);
    expect(rec!.inference!.completed).toBe(false);
    // 50 chunks 100 ms apart would take 5 s; the provider stopped well before
    expect(rec!.inference!.chunkTimes.length).toBeLessThan(20);
    expect(performance.now() - left).toBeLessThan(3000);
  });
});

describe("a client that leaves before the provider answers", () => {
  // the handler is still waiting for the provider's status line: only the request's abort signal
  // (not the answer's body, which does not exist yet) can tell it that the client went away
  it("aborts the provider's request at once instead of waiting for its answer", async () => {
    const model = `gpt-4o-mini-ttfb-4000-early${Date.now()}`;
    const openai = new OpenAI({ apiKey: hubKey, baseURL: compatBase(), maxRetries: 0 });
    const ac = new AbortController();
    const call = openai.chat.completions.create({ model: `openai/${model}`, messages: [{ role: "user", content: "hi" }] }, { signal: ac.signal });
    call.catch(() => {});
    expect(await fakeRecordOf(model, () => true), "the request reached the provider").toBeDefined();
    ac.abort();
    await expect(call).rejects.toThrow();
    const left = performance.now();
    const rec = await fakeRecordOf(model, (r) => r.inference!.aborted, 3000);
    expect(rec?.inference?.aborted, JSON.stringify(rec?.inference)).toBe(true);
    expect(rec!.inference!.completed).toBe(false);
    // the provider would have answered 4 s after the request; the hub hung up well before
    expect(performance.now() - left).toBeLessThan(2500);
  });
});

describe("last_used_at", () => {
  it("is written shortly after a key is used, off the request path", async () => {
    const deadline = Date.now() + 5000;
    let seen: string | null = null;
    while (!seen && Date.now() < deadline) {
      seen = (await c.get(`${HUB_KEYS}/${hubKeyId}`)).body.hub_key.last_used_at;
      if (!seen) await new Promise((r) => setTimeout(r, 200));
    }
    expect(seen).not.toBeNull();
  });
});
