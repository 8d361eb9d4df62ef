// Fuzzing PATCH and DELETE /api/v1/llm/providers/keys/{id} as an admin: ids that are unicode, "../",
// very long, encoded or not, or UUIDs that do not exist are a 404 {detail, code} (or, when the URL
// parser turns the path into another route, that route's refusal) and change nothing; PATCH bodies
// are fuzzed like the others; valid patches (with nulls and unknown fields as old clients send them)
// change only what was sent and never the key.
import fc from "fast-check";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { patchKeySchema } from "../../lib/provider-keys/schemas";
import { KEYS, listRows, type ProviderRow } from "../support/api";
import type { ApiResponse } from "../support/client";
import { anyJson, anyValue, contentType, hasBadEscape, idArb, idPath, nearValid, objectText, rawBody } from "./support/arbitraries";
import { secAdmin } from "./support/context";
import { Findings, pool, sample, snapshot } from "./support/fuzz";
import { badKey, goodKey, goodName, keysOf } from "./support/key-pool";
import { disagreements, expectRejected, isRejected, judgeBody, PATCH_RULES } from "./support/oracle";
import { routeOf, type SecClient, secSignedIn } from "./support/sec-client";

const LABEL = "fuzz-id";
let admin: SecClient;
let custom: ProviderRow;
let builtin: ProviderRow;

/** What a path that the URL parser sent elsewhere may answer: the JSON 404, a 405, or Next's trailing-slash 308. */
function otherRoute(res: ApiResponse): string | null {
  if (res.status === 308 || res.status === 405) return null;
  if (res.status === 404) return typeof res.body?.code === "string" ? null : "404 without {detail, code}";
  return "expected 404, 405 or 308";
}

describe("PATCH and DELETE /keys/{id} under fuzzing", () => {
  beforeAll(async () => {
    admin = await secSignedIn(LABEL, secAdmin("fuzz"));
    const base = inject("lanUrl") || "http://10.9.8.7";
    const saved = await admin.post(KEYS, { provider_type: "custom", name: "fuzz-id target", api_key: keysOf("custom")[0], config: { base_url: `${base}/v1` } });
    expect([200, 201], saved.text).toContain(saved.status);
    const rows = await listRows(admin);
    custom = rows.find((r) => r.id === saved.body.provider_id)!;
    builtin = rows.find((r) => r.provider_type === "cohere")!;
  });

  it("answers fuzzed ids with 404 (or another route's refusal) and changes no row", async () => {
    const arb = fc.record({ id: idArb, method: fc.constantFrom("PATCH", "DELETE"), raw: fc.boolean() });
    const cases = sample(arb, 1600).filter((c) => !hasBadEscape(idPath(KEYS, c.id, c.raw))); // a known 500, pinned in 05-paths
    const before = await snapshot();
    const f = new Findings();
    await pool(cases, async ({ id, method, raw }) => {
      const path = idPath(KEYS, id, raw);
      const body = method === "PATCH" ? { priority: 7 } : undefined;
      const res = await admin.request(method, path, body);
      const hit = routeOf(method, path);
      const expected = hit.action ? (r: ApiResponse) => (r.status === 404 && r.body?.code === "not_found" ? null : "expected 404 not_found") : otherRoute;
      f.check(hit.endpoint, { method, path, body: body && JSON.stringify(body) }, res, expected);
    });
    expect(await snapshot(), "a request with a fuzzed id changed the database").toBe(before);
    console.log(`PATCH/DELETE /keys/{id}: ${f.cases} fuzzed ids`);
    f.assertClean();
  });

  const patchSpec = () => ({
    name: { valid: goodName, optional: true },
    enabled: { valid: fc.boolean(), optional: true },
    priority: { valid: fc.integer({ min: -1000, max: 1000 }), invalid: fc.oneof(anyValue, fc.constantFrom(1001, -1001, 1.5, 2 ** 53)), optional: true },
    config: { valid: fc.constant({ base_url: custom.config.base_url }), invalid: fc.oneof(anyValue, fc.record({ base_url: anyValue })), optional: true },
    api_key: { valid: fc.oneof(fc.constant(""), goodKey), invalid: fc.oneof(anyValue, badKey), optional: true },
  });

  it("reads PATCH bodies as the contract does: null is absent, unknown top-level fields are ignored, config is closed, wrong types are refused", () => {
    const texts = [...sample(nearValid(patchSpec()), 3000), ...sample(anyJson, 300).map((v) => JSON.stringify(v))];
    expect(disagreements(patchKeySchema, PATCH_RULES, texts)).toEqual([]);
  });

  it("refuses every malformed PATCH body with a 4xx {detail, code} and changes no row", async () => {
    const json = "application/json";
    const spec = patchSpec();
    const cases = [
      ...sample(anyJson, 250).map((v) => ({ type: json, text: JSON.stringify(v) })),
      ...sample(nearValid(spec), 900).map((text) => ({ type: json, text })),
      ...sample(rawBody, 200).map((text) => ({ type: json, text })),
      ...sample(fc.tuple(contentType, fc.oneof(nearValid(spec, 0), rawBody)), 250).map(([type, text]) => ({ type, text })),
    ].filter((c) => isRejected(judgeBody(PATCH_RULES, c.type, c.text)));
    expect(cases.length).toBeGreaterThan(1000);
    const before = await snapshot();
    const f = new Findings();
    await pool(cases, async ({ type, text }, i) => {
      const verdict = judgeBody(PATCH_RULES, type, text);
      if (!isRejected(verdict)) throw new Error("unreachable");
      const path = `${KEYS}/${i % 2 ? custom.id : builtin.id}`;
      const res = await admin.patch(path, undefined, { raw: text, contentType: type });
      f.check("PATCH /keys/{id}", { method: "PATCH", path, headers: { "content-type": type }, body: text }, res, expectRejected(verdict));
    });
    expect(await snapshot(), "a refused PATCH changed the database").toBe(before);
    console.log(`PATCH /keys/{id}: ${f.cases} malformed bodies`);
    f.assertClean();
  });

  it("applies valid patches field by field and never touches or shows the key", async () => {
    const arb = fc.record(
      { name: goodName, enabled: fc.boolean(), priority: fc.integer({ min: -1000, max: 1000 }), config: fc.constant({ base_url: custom.config.base_url! }) },
      { requiredKeys: [] },
    );
    const unknown = fc.constantFrom<[string, unknown][]>([], [], [["api_key_preview", "x"]], [["__proto__", { enabled: false }], ["provider_type", "openai"]]);
    const f = new Findings();
    for (const [i, [patch, nulls, extra]] of sample(fc.tuple(arb, fc.boolean(), unknown), 120).entries()) {
      if (Object.keys(patch).length === 0) continue;
      const row = i % 3 ? custom : builtin;
      const body: Record<string, unknown> = { ...patch };
      if (row === builtin) delete body.config;
      if (Object.keys(body).length === 0) continue;
      const path = `${KEYS}/${row.id}`;
      // an old client sends what it does not change as null, and fields this API does not have
      const sent = { ...(nulls ? { name: null, enabled: null, priority: null, config: null, api_key: null } : {}), ...body };
      const text = objectText([...Object.entries(sent), ...extra]);
      const res = await admin.patch(path, undefined, { raw: text, contentType: "application/json" });
      f.check("PATCH /keys/{id} (valid)", { method: "PATCH", path, body: text }, res, (r) => {
        if (r.status === 409 && body.name !== undefined) return null; // another custom endpoint holds that name
        if (r.status !== 200) return "expected 200";
        const b = r.body;
        if (body.name !== undefined && b.name !== (body.name as string).trim()) return "name not applied";
        if (body.enabled !== undefined && b.enabled !== body.enabled) return "enabled not applied";
        if (body.priority !== undefined && b.priority !== body.priority) return "priority not applied";
        if (b.key_preview !== row.key_preview || b.has_key !== row.has_key) return "the key changed";
        return null;
      });
    }
    f.assertClean();
  });

  it("DELETE removes a custom endpoint once (then 404); a built-in row stays, and deleting again is a 200 no-op", async () => {
    expect((await admin.delete(`${KEYS}/${custom.id}`)).status).toBe(200);
    const again = await admin.delete(`${KEYS}/${custom.id}`);
    expect(again.status, again.text).toBe(404);
    expect(again.body).toEqual({ detail: "Provider not found", code: "not_found" });
    // a built-in row stays when its key goes, and deleting it again is a no-op
    for (let i = 0; i < 3; i++) {
      const res = await admin.delete(`${KEYS}/${builtin.id}`);
      expect(res.status, res.text).toBe(200);
    }
    const row = (await listRows(admin)).find((r) => r.id === builtin.id)!;
    expect(row.has_key).toBe(false);
    expect(row.key_preview).toBeNull();
  });
});
