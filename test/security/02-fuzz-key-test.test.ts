// Fuzzing POST /api/v1/llm/providers/keys/test as an admin: malformed bodies are refused with a 4xx
// {detail, code} and change nothing; testing a supplied key answers 200 with the right verdict and
// writes nothing but the audit record (contract section 3), whatever case, id or padding it comes with,
// and whatever nulls and unknown fields an old client adds.
import fc from "fast-check";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { testKeySchema } from "../../lib/provider-keys/schemas";
import { listRows, type ProviderRow, TEST } from "../support/api";
import type { ApiResponse } from "../support/client";
import { anyJson, anyValue, contentType, nearValid, objectText, rawBody } from "./support/arbitraries";
import { secAdmin } from "./support/context";
import { Findings, pool, sample, snapshot } from "./support/fuzz";
import { BUILTIN_TYPES, badKey, goodKey, keysOf, PROVIDER_TYPES, QUICK_BEHAVIOURS, typeSpelling } from "./support/key-pool";
import { disagreements, expectRejected, isRejected, judgeBody, TEST_RULES } from "./support/oracle";
import { type SecClient, secSignedIn } from "./support/sec-client";

const LABEL = "fuzz-test";
let admin: SecClient;
let rows: ProviderRow[] = [];

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ERROR_CODES = ["invalid_key", "forbidden", "no_credits", "rate_limited", "provider_error", "timeout", "unreachable", "bad_base_url", "not_configured"];

const testSpec = () => ({
  provider_type: { valid: typeSpelling() },
  api_key: { valid: fc.oneof(goodKey, fc.constant(null), fc.constant("")), invalid: fc.oneof(anyValue, badKey), optional: true },
  id: { valid: fc.oneof(fc.uuid(), fc.constantFrom(...rows.map((r) => r.id))), optional: true },
  config: { valid: fc.constantFrom({}, { base_url: `${inject("lanUrl") || "http://10.9.8.7"}/v1` }), optional: true },
});

/** A test result as the contract shapes it. */
function resultProblem(r: ApiResponse, success: boolean): string | null {
  if (r.status !== 200) return "expected 200";
  const b = r.body;
  if (b.success !== success) return `success should be ${success}`;
  if (!ISO.test(b.tested_at)) return "tested_at is not ISO 8601 UTC";
  if (success ? b.error_code !== null : !ERROR_CODES.includes(b.error_code)) return `error_code ${b.error_code}`;
  if (typeof b.latency_ms !== "number" && b.latency_ms !== null) return "latency_ms";
  return null;
}

describe("POST /keys/test under fuzzing", () => {
  beforeAll(async () => {
    admin = await secSignedIn(LABEL, secAdmin("fuzz"));
    rows = await listRows(admin);
  });

  it("reads bodies as the contract does: null is absent, unknown top-level fields are ignored, config is closed, wrong types are refused", () => {
    const texts = [...sample(nearValid(testSpec()), 3000), ...sample(anyJson, 300).map((v) => JSON.stringify(v))];
    expect(disagreements(testKeySchema, TEST_RULES, texts)).toEqual([]);
  });

  it("refuses every malformed body with a 4xx {detail, code} and changes no row", async () => {
    const json = "application/json";
    const cases = [
      ...sample(anyJson, 300).map((v) => ({ type: json, text: JSON.stringify(v) })),
      ...sample(nearValid(testSpec()), 1000).map((text) => ({ type: json, text })),
      ...sample(rawBody, 250).map((text) => ({ type: json, text })),
      ...sample(fc.tuple(contentType, fc.oneof(nearValid(testSpec(), 0), rawBody)), 300).map(([type, text]) => ({ type, text })),
    ].filter((c) => isRejected(judgeBody(TEST_RULES, c.type, c.text)));
    expect(cases.length).toBeGreaterThan(1200);
    const before = await snapshot();
    const f = new Findings();
    await pool(cases, async ({ type, text }) => {
      const verdict = judgeBody(TEST_RULES, type, text);
      if (!isRejected(verdict)) throw new Error("unreachable");
      const res = await admin.post(TEST, undefined, { raw: text, contentType: type });
      f.check("POST /keys/test", { method: "POST", path: TEST, headers: { "content-type": type }, body: text }, res, expectRejected(verdict));
    });
    expect(await snapshot(), "a refused test changed the database").toBe(before);
    console.log(`POST /keys/test: ${f.cases} malformed bodies`);
    f.assertClean();
  });

  it("tests supplied keys (any case, padding, ids) with 200 and the right verdict, writing nothing but the audit record", async () => {
    const lanUrl = inject("lanUrl");
    const types = lanUrl ? PROVIDER_TYPES : BUILTIN_TYPES;
    const arb = fc.record({
      type: fc.constantFrom(...types),
      spelled: fc.constantFrom("lower", "upper", "padded"),
      behaviour: fc.constantFrom(...QUICK_BEHAVIOURS),
      id: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, fc.uuid(), fc.constantFrom(...rows.map((r) => r.id))),
      nulls: fc.boolean(),
      unknown: fc.option(fc.constantFrom<[string, unknown][]>([["model", "gpt-4o"]], [["__proto__", { role: "admin" }], ["save", true]], [["timeout", null]]), { nil: undefined }),
    });
    const before = await snapshot();
    const f = new Findings();
    await pool(sample(arb, 250), async (c) => {
      const key = keysOf(c.type, c.behaviour, 2)[1]!;
      const spelled = c.spelled === "upper" ? c.type.toUpperCase() : c.spelled === "padded" ? ` ${c.type}\t` : c.type;
      const body: Record<string, unknown> = { provider_type: spelled, api_key: key };
      if (c.type === "custom") body.config = { base_url: `${lanUrl}/v1` };
      if (c.id) body.id = c.id;
      if (c.nulls) Object.assign(body, { id: body.id ?? null, config: body.config ?? null });
      const text = objectText([...Object.entries(body), ...(c.unknown ?? [])]);
      const res = await admin.post(TEST, undefined, { raw: text, contentType: "application/json" });
      const row = c.id ? rows.find((r) => r.id === c.id) : undefined;
      f.check("POST /keys/test (supplied key)", { method: "POST", path: TEST, body: text }, res, (r) => {
        if (c.id && !row) return r.status === 404 && r.body.code === "not_found" ? null : "expected 404 for an unknown id";
        if (row && row.provider_type !== c.type) return r.status === 400 ? null : "expected 400 for an id of another provider";
        const ignored = (r.body?.warnings as string[] | undefined)?.find((w) => w.startsWith("Ignored unknown field"));
        if (c.unknown && (!ignored || c.unknown.some(([k]) => !ignored.includes(`'${k}'`)))) return "no warning naming the ignored fields";
        if (!c.unknown && ignored) return "a warning about unknown fields that were not sent";
        return resultProblem(r, c.type === "custom" ? c.behaviour !== "invalid" : c.behaviour === "");
      });
    });
    expect(await snapshot(), "testing a supplied key wrote to the database").toBe(before);
    f.assertClean();
  });

  it("tests stored and environment keys (api_key null, empty or absent) with 200, or 400 not_configured", async () => {
    const arb = fc.record({ type: fc.constantFrom(...BUILTIN_TYPES), apiKey: fc.constantFrom(null, "", undefined) });
    const f = new Findings();
    const current = await listRows(admin);
    await pool(sample(arb, 60), async (c) => {
      const body: Record<string, unknown> = { provider_type: c.type };
      if (c.apiKey !== undefined) body.api_key = c.apiKey;
      const res = await admin.post(TEST, body);
      const row = current.find((r) => r.provider_type === c.type)!;
      f.check("POST /keys/test (stored key)", { method: "POST", path: TEST, body: JSON.stringify(body) }, res, (r) => {
        if (row.key_source === "not_set") return r.status === 400 && r.body.code === "not_configured" ? null : "expected 400 not_configured";
        return r.status === 200 && typeof r.body.success === "boolean" ? null : "expected 200 with a verdict";
      });
    });
    f.assertClean();
  });
});
