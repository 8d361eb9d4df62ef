// Clients of the old Python service keep working (contract, conventions): they send every optional
// field, null when unset, and fields this API does not have. On the contract's endpoints null means
// absent and unknown top-level fields are ignored (named in `warnings` where a response has them);
// wrong types are still a 400 naming the field, and `config` stays closed.
import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { expectError, KEYS, rowOf, saveKey, testKey } from "../support/api";
import { Client, signedIn } from "../support/client";
import { admin } from "../support/context";
import { previewOf, providerKey } from "../support/keys";

const me = admin("compat");
const customBase = () => inject("fakeBaseUrls").custom!;

describe("bodies of the old service's clients", () => {
  it('saves the old client\'s exact body {"provider_type":"openrouter","api_key":"…","name":"OpenRouter","config":null}', async () => {
    const c = await signedIn(me);
    const key = providerKey("openrouter");
    const raw = `{"provider_type":"openrouter","api_key":"${key}","name":"OpenRouter","config":null}`;
    const res = await c.post(KEYS, undefined, { raw, contentType: "application/json" });
    expect([200, 201], res.text).toContain(res.status);
    expect(res.body).toMatchObject({ success: true, name: "OpenRouter", provider_type: "openrouter", key_preview: previewOf(key), warnings: [], test_result: { success: true } });
    expect(await rowOf(c, "openrouter")).toMatchObject({ key_source: "database", key_preview: previewOf(key), config: {} });
  });

  it("reads every optional field sent as null as absent: save, test, PATCH", async () => {
    const c = await signedIn(me);
    // a built-in provider: the default name, no base URL, the failing test does not block the save
    const groqKey = providerKey("groq", "invalid");
    const groq = await saveKey(c, { provider_type: "groq", api_key: groqKey, name: null, config: null, require_valid: null });
    expect([200, 201], groq.text).toContain(groq.status);
    expect(groq.body).toMatchObject({ name: "Groq", key_preview: previewOf(groqKey), test_result: { success: false, error_code: "invalid_key" }, warnings: [] });

    // a custom endpoint saved again by name keeps its base URL when config (or base_url) is null
    const name = `Old client ${randomBytes(3).toString("hex")}`;
    const first = await saveKey(c, { provider_type: "custom", name, api_key: providerKey("custom"), config: { base_url: customBase() } });
    expect(first.status, first.text).toBe(201);
    for (const config of [null, { base_url: null }]) {
      const again = await saveKey(c, { provider_type: "custom", name, api_key: providerKey("custom"), config, require_valid: null });
      expect(again.status, again.text).toBe(200);
      expect(again.body.provider_id).toBe(first.body.provider_id);
    }
    expect(await rowOf(c, name)).toMatchObject({ config: { base_url: customBase() } });

    // the test: api_key, id and config null test the stored key
    const tested = await testKey(c, { provider_type: "custom", api_key: null, id: first.body.provider_id, config: null });
    expect(tested.status, tested.text).toBe(200);
    expect(tested.body).toMatchObject({ success: true, models_found: 3, warnings: [] });
    const stored = await testKey(c, { provider_type: "groq", api_key: null, id: null, config: null });
    expect(stored.body).toMatchObject({ success: false, error_code: "invalid_key" });

    // PATCH: only the fields that are not null change
    const before = (await rowOf(c, name))!;
    const patched = await c.patch(`${KEYS}/${first.body.provider_id}`, { name: null, enabled: false, priority: null, config: null, api_key: null });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ name, enabled: false, priority: before.priority, config: before.config, key_preview: before.key_preview });
    expectError(await c.patch(`${KEYS}/${first.body.provider_id}`, { name: null, config: null }), 400, "invalid_request", /^send at least one of/);
    expect((await c.delete(`${KEYS}/${first.body.provider_id}`)).status).toBe(200);
  });

  it("ignores unknown top-level fields, and names them in the warnings of a save or a test", async () => {
    const c = await signedIn(me);
    const key = providerKey("mistral");
    // a misspelt require_valid does not refuse the failing key, so the warning is what tells the client
    const raw = `{"provider_type":"mistral","api_key":"${providerKey("mistral", "invalid")}","require_vaild":true,"model":"mistral-large","__proto__":{"role":"admin"}}`;
    const saved = await c.post(KEYS, undefined, { raw, contentType: "application/json" });
    expect([200, 201], saved.text).toContain(saved.status);
    expect(saved.body.warnings).toEqual(["Ignored unknown fields 'require_vaild', 'model', '__proto__'."]);
    const tested = await testKey(c, { provider_type: "mistral", api_key: key, timeout: 30, stream: null });
    expect(tested.status, tested.text).toBe(200);
    expect(tested.body).toMatchObject({ success: true, warnings: ["Ignored unknown fields 'timeout', 'stream'."] });
    // PATCH has no warnings: the fields it knows are applied, the others dropped
    const row = (await rowOf(c, "mistral"))!;
    const patched = await c.patch(`${KEYS}/${row.id}`, { priority: 7, provider_type: "openai", key_preview: "x" });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ provider_type: "mistral", priority: 7, key_preview: row.key_preview });
    expectError(await c.patch(`${KEYS}/${row.id}`, { enable: false }), 400, "invalid_request", "send at least one of name, enabled, priority, config, api_key (ignored unknown field 'enable')");
    await c.patch(`${KEYS}/${row.id}`, { priority: row.priority });
  });

  it("signs in with the fields an old login form adds", async () => {
    const c = new Client();
    const res = await c.post("/api/v1/auth/login", { email: me.email, password: me.password, remember_me: true, next: null });
    expect(res.status, res.text).toBe(200);
    expect(res.body.user).toMatchObject({ email: me.email, role: "admin" });
  });

  it("still refuses wrong types with a 400 naming the field, null for a required field, and unknown fields inside config", async () => {
    const c = await signedIn(me);
    const k = providerKey("openrouter");
    expectError(await saveKey(c, { provider_type: "openrouter", api_key: k, config: "none" }), 400, "invalid_request", "config: must be an object");
    expectError(await saveKey(c, { provider_type: "openrouter", api_key: k, name: 5 }), 400, "invalid_request", "name: must be a string");
    expectError(await saveKey(c, { provider_type: "openrouter", api_key: k, require_valid: "yes" }), 400, "invalid_request", "require_valid: must be true or false");
    expectError(await saveKey(c, { provider_type: "openrouter", api_key: null }), 400, "invalid_request", "api_key: must be a string");
    expectError(await saveKey(c, { provider_type: "custom", name: "x", api_key: k, config: { base_url: null, headers: null } }), 400, "invalid_request", "config: unknown field 'headers'");
    expectError(await testKey(c, { provider_type: "openrouter", id: 12 }), 400, "invalid_request", "id: must be a provider id (UUID)");
    const row = (await rowOf(c, "openrouter"))!;
    expectError(await c.patch(`${KEYS}/${row.id}`, { enabled: "false" }), 400, "invalid_request", "enabled: must be true or false");
    expectError(await c.post("/api/v1/auth/login", { email: me.email, password: null }, { cookie: null }), 400, "invalid_request", "password: must be a string");
  });
});
