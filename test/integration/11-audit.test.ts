// Contract section 10: one append-only audit record per operation, denied ones included, with the
// actor, action, outcome, provider type, fingerprint and client address; never the key.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createKeyring } from "../../lib/crypto/keyring";
import { KEYS, saveKey, testKey } from "../support/api";
import { clientWithAgent, type Json } from "../support/client";
import { admin, isServices, users } from "../support/context";
import { withSql } from "../support/db";
import { findLeak, providerKey } from "../support/keys";

const SKIP = "zero-setup mode: the audit table lives in the PGlite database held by the server process";
const UA = `llmhub-it-audit/${randomBytes(4).toString("hex")}`;
const me = admin("audit");

type Rec = Record<string, Json>;
let records: Rec[] = [];
const keys = { first: "", second: "", supplied: [] as string[] };
let providerId = "";
let name = "";

const client = () => clientWithAgent(UA);

describe("audit records", () => {
  beforeAll(async () => {
    if (!isServices()) return;
    const c = client();
    expect((await c.login(me.email, `${me.password}-wrong`)).status).toBe(401);
    await c.signIn(me);
    keys.first = providerKey("custom");
    keys.second = providerKey("custom");
    name = `audit-${randomBytes(3).toString("hex")}`;
    const created = await saveKey(c, { provider_type: "custom", name, api_key: keys.first, config: { base_url: inject("fakeBaseUrls").custom } });
    expect(created.status, created.text).toBe(201);
    providerId = created.body.provider_id;
    expect((await saveKey(c, { provider_type: "custom", name, api_key: keys.second })).status).toBe(200);
    expect((await testKey(c, { provider_type: "custom", id: providerId })).status).toBe(200);
    expect((await c.patch(`${KEYS}/${providerId}`, { priority: 3 })).status).toBe(200);
    expect((await client().get(KEYS)).status).toBe(401);
    const viewer = await client().signIn(users().viewer);
    expect((await viewer.get(KEYS)).status).toBe(403);
    for (let i = 0; i < 7; i++) {
      keys.supplied.push(providerKey("openai"));
      expect((await testKey(c, { provider_type: "openai", api_key: keys.supplied[i] })).status).toBe(200);
    }
    expect((await testKey(c, { provider_type: "openai", api_key: providerKey("openai") })).status).toBe(429);
    expect((await c.delete(`${KEYS}/${providerId}`)).status).toBe(200);
    expect((await c.post("/api/v1/auth/logout")).status).toBe(200);
    records = await withSql((sql) => sql`select * from audit_events where user_agent = ${UA} order by id`);
  });

  it("writes exactly one record per operation, in order, denied ones included", (ctx) => {
    ctx.skip(!isServices(), SKIP);
    const A = me.email;
    const V = users().viewer.email;
    const expected = [
      ["auth.login", "failure", 401, A],
      ["auth.login", "success", 200, A],
      ["provider_key.create", "success", 201, A],
      ["provider_key.update", "success", 200, A],
      ["provider_key.test", "success", 200, A],
      ["provider_key.patch", "success", 200, A],
      ["provider_key.list", "denied", 401, null],
      ["auth.login", "success", 200, V],
      ["provider_key.list", "denied", 403, V],
      ...Array.from({ length: 7 }, () => ["provider_key.test", "success", 200, A]),
      ["provider_key.test", "denied", 429, A],
      ["provider_key.delete", "success", 200, A],
      ["auth.logout", "success", 200, A],
    ];
    expect(records.map((r) => [r.action, r.outcome, r.status_code, r.actor_email])).toEqual(expected);
  });

  it("records the actor id, client address, user agent and time", (ctx) => {
    ctx.skip(!isServices(), SKIP);
    for (const r of records) {
      expect(r.ip, r.action).toBe("127.0.0.1");
      expect(r.user_agent).toBe(UA);
      expect(Date.now() - new Date(r.at).getTime()).toBeLessThan(5 * 60_000);
      if (r.action === "auth.login" && r.outcome === "failure") continue; // the attempted email; no one signed in
      if (r.actor_email) expect(r.actor_id, r.action).toMatch(/^[0-9a-f-]{36}$/);
      else expect(r.actor_id).toBeNull();
    }
  });

  it("records the provider type, target and the key's fingerprint (never the key)", (ctx) => {
    ctx.skip(!isServices(), SKIP);
    const fp = createKeyring([inject("encryptionKey")]).fingerprint;
    const keyOps = records.filter((r) => r.action.startsWith("provider_key.") && r.action !== "provider_key.list");
    const byAction = (a: string) => keyOps.filter((r) => r.action === a);
    expect(byAction("provider_key.create")[0]).toMatchObject({ provider_type: "custom", target: providerId, key_fingerprint: fp(keys.first) });
    expect(byAction("provider_key.update")[0]).toMatchObject({ provider_type: "custom", target: providerId, key_fingerprint: fp(keys.second) });
    expect(byAction("provider_key.patch")[0]).toMatchObject({ target: providerId, key_fingerprint: fp(keys.second) });
    expect(byAction("provider_key.delete")[0]).toMatchObject({ provider_type: "custom", target: providerId, key_fingerprint: fp(keys.second) });
    // what the record says in words: the row's name and the outcome (written by the change's own statement)
    expect(byAction("provider_key.create")[0]!.detail).toEqual({ name, test: "success" });
    expect(byAction("provider_key.update")[0]!.detail).toEqual({ name, test: "success" });
    expect(byAction("provider_key.delete")[0]!.detail).toEqual({ name, had_key: true });
    const tests = byAction("provider_key.test");
    expect(tests[0]).toMatchObject({ provider_type: "custom", target: providerId, key_fingerprint: fp(keys.second) });
    expect(tests[0]!.detail).toEqual({ source: "database", error_code: null, status_code: 200 });
    expect(tests.slice(1, 8).map((r) => r.key_fingerprint)).toEqual(keys.supplied.map(fp));
    expect(tests[8]).toMatchObject({ provider_type: "openai", outcome: "denied" });
    expect(fp(keys.first)).toMatch(/^fp_[0-9a-f]{32}$/);
    const leak = findLeak(JSON.stringify(records));
    expect(leak).toBeNull();
  });

  it("the database refuses UPDATE, DELETE and TRUNCATE of audit_events", async (ctx) => {
    ctx.skip(!isServices(), SKIP);
    const id = records[0]!.id;
    await withSql(async (sql) => {
      await expect(sql`update audit_events set outcome = 'success' where id = ${id}`).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_events where id = ${id}`).rejects.toThrow(/append-only/);
      await expect(sql`truncate audit_events`).rejects.toThrow(/append-only/);
      const [row] = await sql`select outcome, action from audit_events where id = ${id}`;
      expect(row).toMatchObject({ outcome: "failure", action: "auth.login" });
    });
  });
});
