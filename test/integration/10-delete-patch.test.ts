// DELETE /keys/{id} (contract section 5) and PATCH /keys/{id} (section 5a).
import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { expectError, KEYS, listRows, rowOf, saveKey, UUID } from "../support/api";
import { signedIn } from "../support/client";
import { admin } from "../support/context";
import { previewOf, providerKey } from "../support/keys";

const DELETED = "API key deleted successfully (will fall back to environment variable if configured)";
const CLEARED = { has_key: false, key_source: "not_set", key_preview: null, health_status: "unknown", test_status: null, last_tested: null, last_test: null };

describe("DELETE /keys/{id}", () => {
  it("a built-in provider's row stays, without key, test or health state", async () => {
    const c = await signedIn(admin("crud"));
    const saved = await saveKey(c, { provider_type: "google", api_key: providerKey("google") });
    expect([200, 201], saved.text).toContain(saved.status);
    const id = saved.body.provider_id as string;
    const res = await c.delete(`${KEYS}/${id}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ success: true, provider_id: id, message: DELETED });
    expect(await rowOf(c, "google")).toMatchObject({ id, name: "Google AI", ...CLEARED });
  });

  it("a built-in provider with an env key falls back to it (key_source environment)", async () => {
    const c = await signedIn(admin("crud"));
    const saved = await saveKey(c, { provider_type: "mistral", api_key: providerKey("mistral") });
    expect((await rowOf(c, "mistral"))!.key_source).toBe("database");
    expect((await c.delete(`${KEYS}/${saved.body.provider_id}`)).status).toBe(200);
    expect(await rowOf(c, "mistral")).toMatchObject({
      ...CLEARED,
      has_key: true,
      key_source: "environment",
      key_preview: previewOf(inject("mistralEnvKey")),
    });
  });

  it("a custom endpoint's row is removed", async () => {
    const c = await signedIn(admin("crud"));
    const name = `crud-${randomBytes(3).toString("hex")}`;
    const saved = await saveKey(c, { provider_type: "custom", name, api_key: providerKey("custom"), config: { base_url: inject("fakeBaseUrls").custom } });
    expect(saved.status, saved.text).toBe(201);
    // PATCH keeps the base-URL policy too
    const ssrf = await c.patch(`${KEYS}/${saved.body.provider_id}`, { config: { base_url: "http://169.254.169.254/" } });
    expectError(ssrf, 400, "bad_base_url", /^config\.base_url: /);
    expect((await rowOf(c, name))!.config.base_url).toBe(inject("fakeBaseUrls").custom);
    expect((await c.delete(`${KEYS}/${saved.body.provider_id}`)).status).toBe(200);
    expect((await listRows(c)).find((r) => r.id === saved.body.provider_id)).toBeUndefined();
    expectError(await c.delete(`${KEYS}/${saved.body.provider_id}`), 404, "not_found", "Provider not found");
  });

  it("an unknown or malformed id is 404 Provider not found", async () => {
    const c = await signedIn(admin("crud"));
    for (const id of [randomUUID(), "not-a-uuid", "1", "00000000-0000-0000-0000-00000000000g"]) {
      expectError(await c.delete(`${KEYS}/${id}`), 404, "not_found", "Provider not found");
    }
  });

  it("deleting a row that has no key is a 200 no-op", async () => {
    const c = await signedIn(admin("crud"));
    const row = (await listRows(c)).find((r) => r.key_source === "not_set" && r.provider_type !== "custom")!;
    const res = await c.delete(`${KEYS}/${row.id}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ success: true, provider_id: row.id });
    expect(await rowOf(c, row.provider_type)).toEqual(row);
  });
});

describe("PATCH /keys/{id}", () => {
  it("changes only the fields sent; the key stays (same preview)", async () => {
    const c = await signedIn(admin("crud"));
    const key = providerKey("google");
    const saved = await saveKey(c, { provider_type: "google", api_key: key });
    const id = saved.body.provider_id as string;
    const before = (await rowOf(c, "google"))!;
    try {
      const renamed = await c.patch(`${KEYS}/${id}`, { name: "Gemini (team)" });
      expect(renamed.status, renamed.text).toBe(200);
      expect(renamed.body).toMatchObject({ success: true, id, name: "Gemini (team)", enabled: true, priority: before.priority, key_preview: previewOf(key), key_source: "database" });
      const disabled = await c.patch(`${KEYS}/${id}`, { enabled: false });
      expect(disabled.body).toMatchObject({ name: "Gemini (team)", enabled: false, priority: before.priority });
      const prioritised = await c.patch(`${KEYS}/${id}`, { priority: 42 });
      expect(prioritised.body).toMatchObject({ name: "Gemini (team)", enabled: false, priority: 42 });
      const listed = (await listRows(c)).find((r) => r.id === id)!;
      expect(listed).toMatchObject({
        name: "Gemini (team)",
        enabled: false,
        priority: 42,
        key_preview: previewOf(key),
        key_source: "database",
        health_status: before.health_status,
        test_status: before.test_status,
        last_tested: before.last_tested,
        updated_by: admin("crud").email,
      });
    } finally {
      await c.patch(`${KEYS}/${id}`, { name: "Google AI", enabled: true, priority: before.priority });
    }
  });

  it("404 for an unknown id; 400 for an empty body, a key without a new base URL or a wrong type", async () => {
    const c = await signedIn(admin("crud"));
    expectError(await c.patch(`${KEYS}/${randomUUID()}`, { enabled: false }), 404, "not_found", "Provider not found");
    const row = (await rowOf(c, "google"))!;
    expectError(await c.patch(`${KEYS}/${row.id}`, {}), 400);
    const sneaky = await c.patch(`${KEYS}/${row.id}`, { api_key: providerKey("google") });
    expectError(sneaky, 400, undefined, /api_key/);
    expectError(await c.patch(`${KEYS}/${row.id}`, { priority: "high" }), 400, undefined, /^priority: /);
    expectError(await c.patch(`${KEYS}/${row.id}`, { enabled: "yes" }), 400, undefined, /^enabled: /);
    expectError(await c.patch(`${KEYS}/${row.id}`, { name: "" }), 400, undefined, /^name: /);
    expect(await rowOf(c, "google")).toEqual(row);
    expect(row.id).toMatch(UUID);
  });
});
