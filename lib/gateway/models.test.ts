import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeProvider, type FakeProvider } from "@/test/fake-provider/server";
import { FAKE_MODEL_COUNTS } from "@/test/fake-provider/success-bodies";
import type { ProviderType } from "@/lib/providers/catalogue";
import { ModelCatalog, type ModelSource } from "./models";

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake.close());

const source = (type: ProviderType, over: Partial<ModelSource> = {}): ModelSource => ({
  route: type,
  providerType: type,
  baseUrl: fake.baseUrls[type],
  apiKey: `key-${type}-0123456789-marker${over.route ?? ""}`,
  pinned: null,
  ...over,
});
const ALL: ProviderType[] = ["openrouter", "openai", "anthropic", "google", "cohere", "groq", "together", "mistral", "custom"];

describe("ModelCatalog", () => {
  it("every provider's list, under its route, in the OpenAI shape", async () => {
    const catalog = new ModelCatalog();
    const { body, failed } = await catalog.list(ALL.map((t) => source(t)), []);
    expect(failed).toEqual([]);
    expect(body.object).toBe("list");
    for (const t of ALL) expect(body.data.filter((m) => m.id.startsWith(`${t}/`)), t).toHaveLength(FAKE_MODEL_COUNTS[t]!);
    expect(body.data).toContainEqual({ id: "openai/gpt-fake-0", object: "model", created: 1_735_689_600, owned_by: "openai" });
    expect(body.data).toContainEqual({ id: "google/gemini-fake-3", object: "model", created: 0, owned_by: "google" });
    expect(body.data).toContainEqual({ id: "anthropic/claude-fake-0-20250101", object: "model", created: 1_735_689_600, owned_by: "anthropic" });
    expect(body.data).toContainEqual(expect.objectContaining({ id: "together/meta-llama/Fake-1", owned_by: "Meta" }));
    expect(body.data).toContainEqual(expect.objectContaining({ id: "cohere/command-fake-2" }));
    // OpenRouter's list is public: its key was not sent
    expect(fake.requests.find((r) => r.path === "/openrouter/api/v1/models")?.expectedAuthPresent).toBe(false);
    expect(fake.requests.find((r) => r.path === "/anthropic/v1/models")).toMatchObject({ expectedAuthPresent: true, query: "?limit=1000" });
  });

  it("filtered by the hub key's patterns", async () => {
    const catalog = new ModelCatalog();
    const { body } = await catalog.list([source("openai"), source("groq"), source("mistral")], ["openai/gpt-fake-1*", "groq/*"]);
    expect(body.data.map((m) => m.id)).toEqual([
      "openai/gpt-fake-1",
      ...Array.from({ length: 10 }, (_, i) => `openai/gpt-fake-1${i}`),
      ...Array.from({ length: 20 }, (_, i) => `groq/llama-fake-${i}`),
    ]);
  });

  it("a custom endpoint under its slug, reached at its checked address", async () => {
    const port = new URL(fake.url).port;
    const lab = source("custom", { route: "lab-vllm", baseUrl: `http://vllm.lab.invalid:${port}/custom/v1`, pinned: { address: "127.0.0.1", family: 4 } });
    const { body } = await new ModelCatalog().list([lab], []);
    expect(body.data.map((m) => m.id)).toEqual(["lab-vllm/local-fake-0", "lab-vllm/local-fake-1", "lab-vllm/local-fake-2"]);
  });

  it("one provider failing leaves the others answering", async () => {
    const catalog = new ModelCatalog({ timeoutMs: 300 });
    const t0 = performance.now();
    const { body, failed } = await catalog.list([source("openai", { apiKey: "sk-error500-0123456789" }), source("mistral", { apiKey: "sk-hang-0123456789" }), source("groq")], []);
    expect(failed).toEqual(["openai", "mistral"]);
    expect(body.data).toHaveLength(20);
    expect(performance.now() - t0).toBeLessThan(2000); // the hanging one is bounded by the timeout
  });

  it("caches each list; serves the last good one while its provider fails; asks again later", async () => {
    const catalog = new ModelCatalog({ ttlMs: 100, retryAfterFailureMs: 100, timeoutMs: 2000 });
    const s = source("mistral", { apiKey: "mistral-key-revocable-0123456789" });
    const calls = () => fake.requests.filter((r) => r.path === "/mistral/v1/models").length;
    const before = calls();
    expect((await catalog.list([s], [])).body.data).toHaveLength(25);
    expect((await catalog.list([s], [])).body.data).toHaveLength(25);
    expect(calls()).toBe(before + 1);

    await fetch(`${fake.url}/__fake/revoke?marker=revocable`, { method: "POST" });
    try {
      await new Promise((r) => setTimeout(r, 120));
      // stale: answered from the cache at once while the refresh fails in the background
      expect((await catalog.list([s], [])).body.data).toHaveLength(25);
      await new Promise((r) => setTimeout(r, 50));
      expect(calls()).toBe(before + 2);
      expect((await catalog.list([s], [])).failed).toEqual([]);
      expect(calls()).toBe(before + 2); // not asked again before the pause is over
    } finally {
      await fetch(`${fake.url}/__fake/restore?marker=revocable`, { method: "POST" });
    }
    catalog.invalidate();
    expect((await catalog.list([s], [])).body.data).toHaveLength(25);
    expect(calls()).toBe(before + 3);
  });
});
