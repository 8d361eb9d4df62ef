// Two app instances on one database: a hub key revoked, disabled, rotated or expired through one
// instance fails on the other at once (nothing on the other instance may act on the old row).
// The second instance also has a short GATEWAY_TIMEOUT_MS and an unreachable Redis, for the
// errors that need them: 504 upstream_timeout and 503 unavailable (the rate limit fails closed).
import { readFileSync } from "node:fs";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, signedIn } from "../support/client";
import { admin, isServices } from "../support/context";
import { compatBase, ensureProviderKey, HUB_KEYS, issueHubKey, type SecondInstance, startSecondInstance } from "../support/gateway";
import { findLeak } from "../support/keys";

let c: Client;
let b: SecondInstance | undefined;
const issued: string[] = [];

const chatOn = (base: string, key: string, model = "openai/gpt-4o-mini") =>
  new OpenAI({ apiKey: key, baseURL: compatBase(base), maxRetries: 0 }).chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] }).then(
    () => 200,
    (e: unknown) => {
      const err = e as InstanceType<typeof OpenAI.APIError>;
      return err.status === undefined ? String(e) : `${err.status} ${err.code}`;
    },
  );

beforeAll(async () => {
  if (!isServices()) return;
  c = await signedIn(admin("gateway"));
  await ensureProviderKey(c, "openai");
  b = await startSecondInstance("gateway-b", { GATEWAY_TIMEOUT_MS: "1500", REDIS_URL: "redis://127.0.0.1:1/0" });
}, 120_000);

afterAll(async () => {
  await b?.stop();
  if (b) expect(findLeak(readFileSync(b.logPath, "utf8"))).toBeNull();
  for (const key of issued) if (b) expect(readFileSync(b.logPath, "utf8")).not.toContain(key);
});

async function fresh(name: string, body: Record<string, unknown> = {}) {
  const k = await issueHubKey(c, { name, ...body });
  issued.push(k.key);
  // used on the second instance first, so that it holds the key in its cache
  expect(await chatOn(b!.url, k.key)).toBe(200);
  expect(await chatOn(b!.url, k.key)).toBe(200);
  return k;
}

describe.skipIf(!isServices())("a hub key changed on one instance, used on another", () => {
  it("deleted: refused at once", async () => {
    const k = await fresh("revoke-me");
    expect((await c.delete(`${HUB_KEYS}/${k.id}`)).status).toBe(200);
    expect(await chatOn(b!.url, k.key)).toBe("401 invalid_hub_key");
  });

  it("disabled and enabled again, five times over: each change holds at once", async () => {
    const k = await fresh("toggle-me");
    for (let i = 0; i < 5; i++) {
      expect((await c.patch(`${HUB_KEYS}/${k.id}`, { enabled: false })).status).toBe(200);
      expect(await chatOn(b!.url, k.key), `round ${i}, disabled`).toBe("401 invalid_hub_key");
      expect((await c.patch(`${HUB_KEYS}/${k.id}`, { enabled: true })).status).toBe(200);
      expect(await chatOn(b!.url, k.key), `round ${i}, enabled`).toBe(200);
    }
  });

  it("rotated: the old key is refused and the new one works at once", async () => {
    const k = await fresh("rotate-me");
    const res = await c.post(`${HUB_KEYS}/${k.id}/rotate`);
    expect(res.status).toBe(200);
    issued.push(res.body.key);
    expect(await chatOn(b!.url, k.key)).toBe("401 invalid_hub_key");
    expect(await chatOn(b!.url, res.body.key)).toBe(200);
  });

  it("expired: refused at once", async () => {
    const k = await fresh("expire-me");
    await c.patch(`${HUB_KEYS}/${k.id}`, { expires_at: new Date(Date.now() - 1000).toISOString() });
    expect(await chatOn(b!.url, k.key)).toBe("401 invalid_hub_key");
  });
});

describe.skipIf(!isServices())("errors that need the second instance's settings", () => {
  it("504 upstream_timeout: no first byte within GATEWAY_TIMEOUT_MS", async () => {
    const k = await fresh("slow");
    const err = await new OpenAI({ apiKey: k.key, baseURL: compatBase(b!.url), maxRetries: 0 }).chat.completions
      .create({ model: "openai/gpt-4o-mini-ttfb-5000", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe("upstream_timeout");
  });

  it("503 unavailable: a key with a rate limit while Redis is unreachable (fail closed)", async () => {
    const limited = await issueHubKey(c, { name: "limited-no-redis", rpm_limit: 100 });
    issued.push(limited.key);
    const err = await new OpenAI({ apiKey: limited.key, baseURL: compatBase(b!.url), maxRetries: 0 }).chat.completions
      .create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe("unavailable");
    expect(Number((err as InstanceType<typeof OpenAI.APIError>).headers?.get("retry-after"))).toBeGreaterThan(0);
  });
});
