// Fuzzing POST /api/v1/llm/providers/keys as an admin: arbitrary JSON, near-valid objects (wrong
// types, huge strings, unicode, control characters, null bytes, prototype-pollution keys), raw
// non-JSON bodies and content types are all refused with a 4xx {detail, code} and change nothing;
// valid-shaped saves (any case and padding, unicode names, custom endpoints, optional fields sent as
// null, unknown fields as the old service's clients send them) store exactly the key sent.
import fc from "fast-check";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createKeyring } from "../../lib/crypto/keyring";
import { saveKeySchema } from "../../lib/provider-keys/schemas";
import { KEYS } from "../support/api";
import { withSql } from "../support/db";
import { previewOf } from "../support/keys";
import { anyJson, anyValue, contentType, isJsonType, nearValid, objectText, rawBody } from "./support/arbitraries";
import { secAdmin } from "./support/context";
import { expectStatus, Findings, pool, sample, snapshot } from "./support/fuzz";
import { BUILTIN_TYPES, badKey, goodKey, goodName, keysOf, QUICK_BEHAVIOURS, typeSpelling } from "./support/key-pool";
import { disagreements, expectRejected, isRejected, judgeBody, SAVE_RULES } from "./support/oracle";
import { type SecClient, secSignedIn } from "./support/sec-client";

const LABEL = "fuzz-save";
let admin: SecClient;

const saveSpec = {
  provider_type: { valid: typeSpelling() },
  api_key: { valid: goodKey, invalid: fc.oneof(anyValue, badKey) },
  name: { valid: goodName, optional: true },
  config: {
    valid: fc.constantFrom({}, { base_url: "http://10.9.8.7/v1" }),
    invalid: fc.oneof(anyValue, fc.record({ base_url: anyValue }), fc.record({ base_url: fc.constant("http://10.9.8.7/v1"), api_key: goodKey })),
    optional: true,
  },
  require_valid: { valid: fc.boolean(), optional: true },
};

interface Case {
  type: string;
  text: string;
}

async function sendAll(cases: Case[], f: Findings): Promise<void> {
  await pool(cases, async ({ type, text }) => {
    const verdict = judgeBody(SAVE_RULES, type, text);
    if (!isRejected(verdict)) throw new Error("a rejected-body batch holds a valid body");
    const res = await admin.post(KEYS, undefined, { raw: text, contentType: type });
    f.check("POST /keys", { method: "POST", path: KEYS, headers: { "content-type": type }, body: text }, res, expectRejected(verdict));
  });
}

/** Keeps only the bodies the schema refuses (a valid one would be saved, which is the other test's business). */
const rejected = (cases: Case[]) => cases.filter((c) => isRejected(judgeBody(SAVE_RULES, c.type, c.text)));

/** Fields the save does not know, as old clients and attackers send them (ignored, and named in a warning). */
const UNKNOWN_FIELDS: [string, unknown][][] = [
  [["priority", 50]],
  [["enabled", false], ["__proto__", { role: "admin" }]],
  [["require_vaild", true]],
  [["role", "admin"], ["isAdmin", true], ["constructor", { prototype: { role: "admin" } }]],
  [["id", null], ["is_active", true]],
];

describe("POST /keys under fuzzing", () => {
  beforeAll(async () => {
    admin = await secSignedIn(LABEL, secAdmin("fuzz"));
  });

  it("reads bodies as the contract does: null is absent, unknown top-level fields are ignored, config is closed, wrong types are refused", () => {
    const texts = [...sample(nearValid(saveSpec), 3000), ...sample(anyJson, 300).map((v) => JSON.stringify(v))];
    expect(disagreements(saveKeySchema, SAVE_RULES, texts)).toEqual([]);
  });

  it("refuses every malformed body with a 4xx {detail, code} and changes no row", async () => {
    const json = "application/json";
    const cases: Case[] = rejected([
      ...sample(anyJson, 300).map((v) => ({ type: json, text: JSON.stringify(v) })),
      ...sample(nearValid(saveSpec), 900).map((text) => ({ type: json, text })),
      ...sample(rawBody, 250).map((text) => ({ type: json, text })),
      ...sample(fc.tuple(contentType, fc.oneof(nearValid(saveSpec, 0), rawBody)), 300).map(([type, text]) => ({ type, text })),
    ]);
    expect(cases.length).toBeGreaterThan(1200);
    expect(cases.filter((c) => !isJsonType(c.type)).length).toBeGreaterThan(150);
    const before = await snapshot();
    const f = new Findings();
    await sendAll(cases, f);
    expect(await snapshot(), "a refused save changed the database").toBe(before);
    console.log(`POST /keys: ${f.cases} malformed bodies`);
    f.assertClean();
  });

  it("stores exactly the key sent for valid-shaped saves: any case and padding, unicode names, custom endpoints", async () => {
    const lanUrl = inject("lanUrl");
    const types = lanUrl ? [...BUILTIN_TYPES, "custom" as const] : BUILTIN_TYPES;
    const arb = fc.record({
      type: fc.constantFrom(...types),
      behaviour: fc.constantFrom(...QUICK_BEHAVIOURS),
      name: fc.option(goodName, { nil: undefined }),
      pad: fc.constantFrom("", " ", "\t\n "),
      requireValid: fc.option(fc.boolean(), { nil: undefined }),
      nulls: fc.boolean(),
      unknown: fc.option(fc.constantFrom(...UNKNOWN_FIELDS), { nil: undefined }),
    });
    const saved = new Map<string, Set<string>>(); // provider_id -> keys stored for it
    const f = new Findings();
    await pool(sample(arb, 120), async (c) => {
      const key = keysOf(c.type, c.behaviour, 2)[0]!;
      const body: Record<string, unknown> = { provider_type: c.type.toUpperCase(), api_key: `${c.pad}${key}${c.pad}` };
      if (c.type === "custom") Object.assign(body, { name: c.name ?? "Custom Endpoint", config: { base_url: `${lanUrl}/v1` } });
      else if (c.name !== undefined) body.name = c.name;
      if (c.requireValid !== undefined) body.require_valid = c.requireValid;
      if (c.nulls) {
        // the old service's clients send every optional field, null when unset
        if (c.type !== "custom") Object.assign(body, { name: body.name ?? null, config: null });
        body.require_valid ??= null;
      }
      const text = objectText([...Object.entries(body), ...(c.unknown ?? [])]);
      const res = await admin.post(KEYS, undefined, { raw: text, contentType: "application/json" });
      const fails = c.type === "custom" ? c.behaviour === "invalid" : c.behaviour !== ""; // the LAN endpoint knows only "invalid"
      const expected = c.requireValid && fails ? expectStatus([400], "key_test_failed") : expectStatus([200, 201]);
      f.check("POST /keys (valid)", { method: "POST", path: KEYS, body: text }, res, (r) => {
        const bad = expected(r);
        if (bad || r.status >= 400) return bad;
        if (r.body.key_preview !== previewOf(key)) return "key_preview is not the preview of the trimmed key";
        if (r.body.test_result?.success !== !fails) return `test_result.success should be ${!fails}`;
        const ignored = (r.body.warnings as string[]).find((w) => w.startsWith("Ignored unknown field"));
        if (!c.unknown) return ignored ? "a warning about unknown fields that were not sent" : null;
        if (!ignored || c.unknown.some(([k]) => !ignored.includes(`'${k}'`))) return "no warning naming the ignored fields";
        return null;
      });
      if (res.status < 300) {
        const set = saved.get(res.body.provider_id) ?? new Set<string>();
        saved.set(res.body.provider_id, set.add(key));
      }
    });
    f.assertClean();
    const ring = createKeyring([inject("encryptionKey")]);
    const rows = await withSql((sql) => sql`select id, encrypted_key, encryption_key_id, key_preview, key_fingerprint from provider_keys where id in ${sql([...saved.keys()])}`);
    expect(rows.length).toBe(saved.size);
    for (const row of rows) {
      const plain = ring.decrypt(row.encrypted_key, row.encryption_key_id);
      expect(saved.get(row.id)!.has(plain), `row ${row.id} holds a key that was not sent for it`).toBe(true);
      expect(row.key_preview).toBe(previewOf(plain));
      expect(row.key_fingerprint).toBe(ring.fingerprint(plain));
    }
    const dupes = await withSql((sql) => sql`select slug, count(*)::int as n from provider_keys group by slug having count(*) > 1`);
    expect(dupes).toEqual([]);
  });
});
