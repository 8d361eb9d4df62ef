// App instances on one database: a hub key revoked, disabled, rotated or expired, or a provider
// disabled or its key removed, through one instance fails on the others at once (nothing may act on
// the old row). Instance C shares Redis and caches the rows (under the shared configuration token;
// it answers while both tables are locked); instance B has an unreachable Redis (no cache: every
// request reads the rows), a short GATEWAY_TIMEOUT_MS, for the errors that need them: 504
// upstream_timeout and 503 unavailable (the rate limit fails closed).
import { readFileSync } from "node:fs";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, signedIn } from "../support/client";
import { admin, isServices } from "../support/context";
import { KEYS, rowOf } from "../support/api";
import { withSql } from "../support/db";
import { compatBase, ensureProviderKey, HUB_KEYS, issueHubKey, type SecondInstance, startSecondInstance } from "../support/gateway";
import { findLeak } from "../support/keys";

let c: Client;
let b: SecondInstance | undefined;
let cached: SecondInstance | undefined;
const issued: string[] = [];

const chatOn = (base: string, key: string, model = "openai/gpt-4o-mini", timeout = 60_000) =>
  new OpenAI({ apiKey: key, baseURL: compatBase(base), maxRetries: 0, timeout }).chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] }).then(
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
  [b, cached] = await Promise.all([
    startSecondInstance("gateway-b", { GATEWAY_TIMEOUT_MS: "1500", REDIS_URL: "redis://127.0.0.1:1/0" }),
    startSecondInstance("gateway-c", {}),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([b?.stop(), cached?.stop()]);
  for (const inst of [b, cached]) {
    if (!inst) continue;
    const log = readFileSync(inst.logPath, "utf8");
    expect(findLeak(log)).toBeNull();
    for (const key of issued) expect(log).not.toContain(key);
  }
});

/** The other instances' answers to one chat call with `key`. */
const others = (key: string, model?: string) => Promise.all([chatOn(b!.url, key, model), chatOn(cached!.url, key, model)]);

async function fresh(name: string, body: Record<string, unknown> = {}) {
  const k = await issueHubKey(c, { name, ...body });
  issued.push(k.key);
  // used on the other instances first, so that C holds the key and the provider row in its cache
  expect(await others(k.key)).toEqual([200, 200]);
  expect(await others(k.key)).toEqual([200, 200]);
  return k;
}

describe.skipIf(!isServices())("a hub key changed on one instance, used on another", () => {
  it("deleted: refused at once", async () => {
    const k = await fresh("revoke-me");
    expect((await c.delete(`${HUB_KEYS}/${k.id}`)).status).toBe(200);
    expect(await others(k.key)).toEqual(["401 invalid_hub_key", "401 invalid_hub_key"]);
  });

  it("disabled and enabled again, five times over: each change holds at once", async () => {
    const k = await fresh("toggle-me");
    for (let i = 0; i < 5; i++) {
      expect((await c.patch(`${HUB_KEYS}/${k.id}`, { enabled: false })).status).toBe(200);
      expect(await others(k.key), `round ${i}, disabled`).toEqual(["401 invalid_hub_key", "401 invalid_hub_key"]);
      expect((await c.patch(`${HUB_KEYS}/${k.id}`, { enabled: true })).status).toBe(200);
      expect(await others(k.key), `round ${i}, enabled`).toEqual([200, 200]);
    }
  });

  it("rotated: the old key is refused and the new one works at once", async () => {
    const k = await fresh("rotate-me");
    const res = await c.post(`${HUB_KEYS}/${k.id}/rotate`);
    expect(res.status).toBe(200);
    issued.push(res.body.key);
    expect(await others(k.key)).toEqual(["401 invalid_hub_key", "401 invalid_hub_key"]);
    expect(await others(res.body.key)).toEqual([200, 200]);
  });

  it("expired: refused at once", async () => {
    const k = await fresh("expire-me");
    await c.patch(`${HUB_KEYS}/${k.id}`, { expires_at: new Date(Date.now() - 1000).toISOString() });
    expect(await others(k.key)).toEqual(["401 invalid_hub_key", "401 invalid_hub_key"]);
  });
});

describe.skipIf(!isServices())("a provider changed on one instance, used through another", () => {
  // saves test their key: an admin of its own, so that this file's saves do not spend the key-test
  // budget (per admin and minute) of the next gateway files' admin
  let p: Client;
  beforeAll(async () => {
    p = await signedIn(admin("gateway-cache"));
  });

  it("disabled and enabled again: each change holds at once", async () => {
    const id = await ensureProviderKey(p, "groq");
    const k = await fresh("provider-toggle");
    expect(await others(k.key, "groq/llama-3.1-8b-instant")).toEqual([200, 200]);
    for (let i = 0; i < 3; i++) {
      expect((await p.patch(`${KEYS}/${id}`, { enabled: false })).status).toBe(200);
      expect(await others(k.key, "groq/llama-3.1-8b-instant"), `round ${i}, disabled`).toEqual(["403 provider_disabled", "403 provider_disabled"]);
      expect((await p.patch(`${KEYS}/${id}`, { enabled: true })).status).toBe(200);
      expect(await others(k.key, "groq/llama-3.1-8b-instant"), `round ${i}, enabled`).toEqual([200, 200]);
    }
  });

  it("its stored key deleted: the next call has no key to use", async () => {
    await ensureProviderKey(p, "together");
    const k = await fresh("provider-delete");
    const model = "together/meta-llama/Llama-3-8b-chat-hf";
    expect(await others(k.key, model)).toEqual([200, 200]);
    const row = (await rowOf(p, "together"))!;
    expect((await p.delete(`${KEYS}/${row.id}`)).status).toBe(200);
    expect(await others(k.key, model)).toEqual(["409 provider_not_configured", "409 provider_not_configured"]);
    await ensureProviderKey(p, "together");
    expect(await others(k.key, model)).toEqual([200, 200]);
  });
});

describe.skipIf(!isServices())("the row cache", () => {
  it("a warm instance answers from its cache: no read of hub_keys or provider_keys (both tables locked)", async () => {
    const k = await fresh("cached-while-locked");
    const answer = await withSql((sql) =>
      sql.begin(async (tx) => {
        await tx`lock table hub_keys, provider_keys in access exclusive mode`;
        // a request that read either table would wait for the lock (and time out here)
        return chatOn(cached!.url, k.key, "openai/gpt-4o-mini", 5000);
      }),
    );
    expect(answer).toBe(200);
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
