// POST /keys (contract section 4): create and update, preview, test result, warnings, require_valid,
// schema errors, media type, custom endpoints and their base-URL policy (section 8).
import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { clearStoredKey, expectError, ISO_UTC, KEYS, listRows, rowOf, saveKey, UUID } from "../support/api";
import { signedIn } from "../support/client";
import { admin } from "../support/context";
import { keyWithSpace, previewOf, providerKey, tooLongKey, tooShortKey } from "../support/keys";
import { waitForLogLine } from "../support/server-log";

const me = admin("save");
const customBase = () => inject("fakeBaseUrls").custom!;

describe("add or update a key", () => {
  it("warns when the same key is already stored under another name", async () => {
    const c = await signedIn(admin("save-duplicates"));
    const key = providerKey("custom");
    const names = [`dup-a-${randomBytes(3).toString("hex")}`, `dup-b-${randomBytes(3).toString("hex")}`];
    const first = await saveKey(c, { provider_type: "custom", name: names[0], api_key: key, config: { base_url: customBase() } });
    expect(first.status, first.text).toBe(201);
    expect(first.body.warnings).toEqual([]);
    const second = await saveKey(c, { provider_type: "custom", name: names[1], api_key: key, config: { base_url: customBase() } });
    expect(second.status, second.text).toBe(201);
    expect(second.body.warnings).toEqual([`The same key is also stored for: ${names[0]}.`]);
    for (const r of [first, second]) expect((await c.delete(`${KEYS}/${r.body.provider_id}`)).status).toBe(200);
  });

  it("creates (201) a provider's first key, then updates (200) the same row", async () => {
    const c = await signedIn(me);
    await clearStoredKey(c, "openai");
    const first = providerKey("openai");
    const created = await saveKey(c, { provider_type: "openai", api_key: first });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      success: true,
      name: "OpenAI",
      provider_type: "openai",
      has_key: true,
      enabled: true,
      key_preview: previewOf(first),
      warnings: [],
      message: "API key saved successfully",
    });
    expect(created.body.provider_id).toMatch(UUID);
    expect(created.body.test_result).toMatchObject({ success: true, models_found: 42, error: null, error_code: null, status_code: 200 });
    expect(typeof created.body.test_result.latency_ms).toBe("number");
    expect(created.body.test_result.tested_at).toMatch(ISO_UTC);
    expect(created.headers.get("x-ratelimit-limit")).toBe("10"); // a save spends the test budget
    expect(await waitForLogLine(new RegExp(`Admin ${me.email} added new provider key: OpenAI`))).not.toBeNull();

    const second = providerKey("openai");
    const updated = await saveKey(c, { provider_type: "OpenAI", api_key: `  ${second}  ` }); // case-insensitive type, trimmed key
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.provider_id).toBe(created.body.provider_id);
    expect(updated.body.key_preview).toBe(previewOf(second));
    const rows = (await listRows(c)).filter((r) => r.provider_type === "openai");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: created.body.provider_id, key_source: "database", key_preview: previewOf(second) });
  });

  it("warns about a key in another provider's format, and still saves it", async () => {
    const c = await signedIn(me);
    const anthropicShaped = providerKey("anthropic");
    const res = await saveKey(c, { provider_type: "groq", api_key: anthropicShaped });
    expect([200, 201], res.text).toContain(res.status);
    expect(res.body.warnings.length).toBeGreaterThan(0);
    expect(res.body.warnings.join(" ")).toMatch(/Anthropic/);
    expect((await rowOf(c, "groq"))!.key_preview).toBe(previewOf(anthropicShaped));
  });

  it("require_valid: a key that fails its test is refused with 400 and nothing is stored", async () => {
    const c = await signedIn(me);
    const before = (await rowOf(c, "openai"))!;
    const res = await saveKey(c, { provider_type: "openai", api_key: providerKey("openai", "invalid"), require_valid: true });
    expectError(res, 400);
    expect(res.body.detail).toMatch(/Invalid API key/);
    const after = (await rowOf(c, "openai"))!;
    expect(after.key_preview).toBe(before.key_preview);
    expect(after.test_status).toBe(before.test_status);
    expect(after.updated_at).toBe(before.updated_at);
  });
});

describe("schema errors are 400s that name the field", () => {
  const cases: [string, () => Record<string, unknown>, RegExp][] = [
    ["missing provider_type", () => ({ api_key: providerKey("openai") }), /^provider_type: field required/],
    ["unknown provider", () => ({ provider_type: "openia", api_key: providerKey("openai") }), /^provider_type: unknown provider/],
    ["provider_type of the wrong type", () => ({ provider_type: 7, api_key: providerKey("openai") }), /^provider_type:/],
    ["missing api_key", () => ({ provider_type: "openai" }), /^api_key: field required/],
    ["api_key too short", () => ({ provider_type: "openai", api_key: tooShortKey() }), /^api_key: .*at least 10/],
    ["api_key too long", () => ({ provider_type: "openai", api_key: tooLongKey() }), /^api_key: .*at most 4096/],
    ["api_key with a space inside", () => ({ provider_type: "openai", api_key: keyWithSpace() }), /^api_key: .*whitespace/],
    ["name too long", () => ({ provider_type: "openai", api_key: providerKey("openai"), name: "n".repeat(101) }), /^name: .*at most 100/],
    ["unknown config field", () => ({ provider_type: "custom", name: "x-cfg", api_key: providerKey("custom"), config: { base_url: customBase(), headers: {} } }), /^config: unknown field 'headers'/],
    ["config of the wrong type", () => ({ provider_type: "openai", api_key: providerKey("openai"), config: "https://x.example" }), /^config: must be an object/],
    ["base_url on a built-in provider", () => ({ provider_type: "openai", api_key: providerKey("openai"), config: { base_url: customBase() } }), /^config\.base_url: only custom/],
    ["custom endpoint without base_url", () => ({ provider_type: "custom", name: `nobase-${randomBytes(3).toString("hex")}`, api_key: providerKey("custom") }), /^config\.base_url: field required/],
  ];
  for (const [what, body, detail] of cases) {
    it(what, async () => {
      const c = await signedIn(me);
      const res = await saveKey(c, body());
      expectError(res, 400, undefined, detail);
      expect(res.headers.get("x-ratelimit-remaining")).toBeNull(); // refused before spending the test budget
    });
  }

  it("a form-encoded body is 415, invalid JSON is 400", async () => {
    const c = await signedIn(me);
    const form = `provider_type=openai&api_key=${providerKey("openai")}`;
    expectError(await c.post(KEYS, undefined, { raw: form, contentType: "application/x-www-form-urlencoded" }), 415);
    expectError(await c.post(KEYS, undefined, { raw: `{"provider_type": "openai", "api_key": "${providerKey("openai")}"`, contentType: "application/json" }), 400, undefined, /JSON/);
    expectError(await c.post(KEYS, undefined, { raw: "[]" }), 400);
  });
});

describe("custom endpoints", () => {
  it("saves a custom endpoint with its base URL and tests it there", async () => {
    const c = await signedIn(me);
    const name = `Local vLLM ${randomBytes(3).toString("hex")}`;
    const res = await saveKey(c, { provider_type: "custom", name, api_key: providerKey("custom"), config: { base_url: customBase() } });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ name, provider_type: "custom", test_result: { success: true, models_found: 3 } });
    const row = (await rowOf(c, name))!;
    expect(row).toMatchObject({ id: res.body.provider_id, key_source: "database", config: { base_url: customBase() } });
  });

  it("identifies a custom endpoint by name, case-insensitively", async () => {
    const c = await signedIn(me);
    const name = `Team Proxy ${randomBytes(3).toString("hex")}`;
    const a = await saveKey(c, { provider_type: "custom", name, api_key: providerKey("custom"), config: { base_url: customBase() } });
    expect(a.status, a.text).toBe(201);
    const newKey = providerKey("custom");
    const b = await saveKey(c, { provider_type: "custom", name: name.toUpperCase(), api_key: newKey }); // base_url kept
    expect(b.status, b.text).toBe(200);
    expect(b.body.provider_id).toBe(a.body.provider_id);
    const same = (await listRows(c)).filter((r) => r.name.toLowerCase() === name.toLowerCase());
    expect(same).toHaveLength(1);
    expect(same[0]).toMatchObject({ key_preview: previewOf(newKey), config: { base_url: customBase() } });
  });

  for (const url of ["http://169.254.169.254/latest/meta-data", "http://[::ffff:169.254.169.254]/", "http://2852039166/"]) {
    it(`refuses the metadata address ${url} with 400 bad_base_url and stores nothing`, async () => {
      const c = await signedIn(me);
      const name = `ssrf ${randomBytes(3).toString("hex")}`;
      const res = await saveKey(c, { provider_type: "custom", name, api_key: providerKey("custom"), config: { base_url: url } });
      expectError(res, 400, "bad_base_url", /^config\.base_url: /);
      expect(await rowOf(c, name)).toBeUndefined();
    });
  }
});
