// The request schemas read bodies the way the old service did (docs/api.md, "Nulls and unknown fields"): null for an
// optional field is absent, unknown top-level fields are dropped and named, wrong types are refused.
import { describe, expect, it } from "vitest";
import type { ZodType } from "zod";
import { ignoredFieldsWarning } from "@/lib/schemas/contract-body";
import { loginSchema } from "@/lib/schemas/login";
import { patchKeySchema, saveKeySchema, testKeySchema } from "./schemas";

const KEY = "sk-or-v1-0123456789abcdef";

function problem(schema: ZodType, body: unknown): string | null {
  const r = schema.safeParse(body);
  return r.success ? null : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
}

describe("null means absent", () => {
  it("accepts the old client's save body, config null", () => {
    const r = saveKeySchema.parse({ provider_type: "openrouter", api_key: KEY, name: "OpenRouter", config: null });
    expect(r).toEqual({ provider_type: "openrouter", api_key: KEY, name: "OpenRouter" });
  });
  it("reads every optional field sent as null as absent, on every contract body", () => {
    expect(saveKeySchema.parse({ provider_type: "custom", api_key: KEY, name: null, config: null, require_valid: null })).toEqual({ provider_type: "custom", api_key: KEY });
    expect(saveKeySchema.parse({ provider_type: "custom", api_key: KEY, config: { base_url: null } })).toEqual({ provider_type: "custom", api_key: KEY, config: {} });
    expect(testKeySchema.parse({ provider_type: "openai", api_key: null, id: null, config: null })).toEqual({ provider_type: "openai" });
    expect(patchKeySchema.parse({ name: null, enabled: null, priority: 5, config: null, api_key: null })).toEqual({ priority: 5 });
    expect(patchKeySchema.parse({ config: { base_url: null } })).toEqual({ config: {} });
  });
  it("still refuses null for a required field", () => {
    expect(problem(saveKeySchema, { provider_type: "openai", api_key: null })).toBe("api_key: must be a string");
    expect(problem(saveKeySchema, { provider_type: null, api_key: KEY })).toBe("provider_type: must be a string");
    expect(problem(loginSchema, { email: null, password: "x" })).toBe("email: must be a string");
  });
  it("leaves a PATCH that only had nulls with nothing to change", () => {
    expect(problem(patchKeySchema, { name: null, config: null })).toBe(": send at least one of name, enabled, priority, config, api_key");
  });
});

describe("unknown top-level fields", () => {
  it("are dropped and named, prototype-pollution names included", () => {
    const body = JSON.parse(`{"provider_type":"openai","api_key":"${KEY}","priority":5,"__proto__":{"role":"admin"},"constructor":1}`);
    const r = saveKeySchema.parse(body);
    expect(r).toEqual({ provider_type: "openai", api_key: KEY, ignoredFields: ["priority", "__proto__", "constructor"] });
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    expect(loginSchema.parse({ email: "a@b.example", password: "pw", remember_me: true }).ignoredFields).toEqual(["remember_me"]);
  });
  it("cannot be smuggled in as ignoredFields", () => {
    expect(testKeySchema.parse({ provider_type: "groq", ignoredFields: ["x"] })).toEqual({ provider_type: "groq", ignoredFields: ["ignoredFields"] });
  });
  it("are named in a short warning, and in a PATCH that had nothing else", () => {
    expect(ignoredFieldsWarning(undefined)).toEqual([]);
    expect(ignoredFieldsWarning(["require_vaild"])).toEqual(["Ignored unknown field 'require_vaild'."]);
    expect(ignoredFieldsWarning(["a", "b", "c", "d", "e", "f", "x".repeat(90)])).toEqual([`Ignored unknown fields 'a', 'b', 'c', 'd', 'e' and 2 more.`]);
    expect(problem(patchKeySchema, { enable: false })).toBe(": send at least one of name, enabled, priority, config, api_key (ignored unknown field 'enable')");
  });
});

describe("still refused", () => {
  it.each([
    [saveKeySchema, { provider_type: "openai", api_key: KEY, name: 5 }, "name: must be a string"],
    [saveKeySchema, { provider_type: "openai", api_key: KEY, config: "x" }, "config: must be an object"],
    [saveKeySchema, { provider_type: "openai", api_key: KEY, config: [] }, "config: must be an object"],
    [saveKeySchema, { provider_type: "openai", api_key: KEY, require_valid: "yes" }, "require_valid: must be true or false"],
    [testKeySchema, { provider_type: "openai", id: 7 }, "id: must be a provider id (UUID)"],
    [patchKeySchema, { priority: "5" }, "priority: must be a number"],
    [patchKeySchema, { enabled: 0 }, "enabled: must be true or false"],
    [patchKeySchema, { api_key: 12345678901 }, "api_key: must be a string"],
    [loginSchema, { email: "a@b.example", password: 5 }, "password: must be a string"],
  ] as const)("%#: a wrong type", (schema, body, expected) => {
    expect(problem(schema, body)).toBe(expected);
  });
  it("keeps config closed: an unknown field inside it is refused, even as null", () => {
    for (const config of [{ base_url: "http://10.0.0.5/v1", api_key: KEY }, { url: null }, JSON.parse('{"__proto__":{"x":1}}')]) {
      const r = saveKeySchema.safeParse({ provider_type: "custom", api_key: KEY, config });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.code).toBe("unrecognized_keys");
    }
  });
});

describe("PATCH api_key", () => {
  it("takes a key (trimmed, checked like a save's), and reads an empty one as absent", () => {
    expect(patchKeySchema.parse({ config: { base_url: "http://10.0.0.5/v1" }, api_key: ` ${KEY} ` })).toEqual({ config: { base_url: "http://10.0.0.5/v1" }, api_key: KEY });
    expect(patchKeySchema.parse({ enabled: true, api_key: "" })).toEqual({ enabled: true });
    expect(problem(patchKeySchema, { config: { base_url: "http://10.0.0.5/v1" }, api_key: "short" })).toBe("api_key: must be at least 10 characters");
  });
});
