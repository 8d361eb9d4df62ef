/**
 * What the app must answer to a body, judged from the outside with its own published rules (JSON
 * only, 64 KiB, an object, then the contract's reading of the fields): the status for a rejected
 * body, or "valid" when the body must be accepted (then the outcome depends on the service).
 *
 * The object-level rules are restated here, not taken from the app's schemas, so that the fuzzers
 * check them: as the old service read bodies, a field the endpoint does not know is ignored, `null`
 * for an optional field means absent, a required field must be there and not null, and a field that
 * is there must have the right type and value. Inside `config` the set is closed (an unknown field
 * is refused). The value rules of the string fields (provider type, key, name, base URL) are the
 * app's own field schemas.
 */
import { z, type ZodType } from "zod";
import { apiKeySchema, baseUrlSchema, nameSchema, providerTypeSchema } from "../../../lib/provider-keys/schemas";
import type { ApiResponse } from "../../support/client";
import { isJsonType } from "./arbitraries";

export type Verdict = { reject: number; code: string } | { valid: true };

/** A field: what its value must satisfy, and whether it may be left out (or sent as null). */
export interface FieldRule {
  value: ZodType | ((v: unknown) => boolean);
  optional?: boolean;
}

export interface BodyRules {
  fields: Record<string, FieldRule>;
  /** Refuse fields that are not in `fields` (only `config` is closed). */
  closed?: boolean;
  /** A rule on the fields that are there (PATCH: at least one of them). */
  whole?: (present: Record<string, unknown>) => boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Whether the contract accepts this object. */
export function accepts(rules: BodyRules, data: Record<string, unknown>): boolean {
  const present: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (!Object.hasOwn(rules.fields, k)) {
      if (rules.closed) return false;
    } else if (!(v === null && rules.fields[k]!.optional)) {
      present[k] = v;
    }
  }
  for (const [name, rule] of Object.entries(rules.fields)) {
    if (!Object.hasOwn(present, name)) {
      if (!rule.optional) return false;
      continue;
    }
    const v = present[name];
    const ok = typeof rule.value === "function" ? rule.value(v) : rule.value.safeParse(v).success;
    if (!ok) return false;
  }
  return rules.whole ? rules.whole(present) : true;
}

const CONFIG: FieldRule = {
  value: (v) => isObject(v) && accepts({ fields: { base_url: { value: baseUrlSchema, optional: true } }, closed: true }, v),
  optional: true,
};
const emptyOrKey = z.union([z.literal(""), apiKeySchema]);

export const SAVE_RULES: BodyRules = {
  fields: {
    provider_type: { value: providerTypeSchema },
    api_key: { value: apiKeySchema },
    name: { value: nameSchema, optional: true },
    config: CONFIG,
    require_valid: { value: z.boolean(), optional: true },
  },
};

export const TEST_RULES: BodyRules = {
  fields: {
    provider_type: { value: providerTypeSchema },
    api_key: { value: emptyOrKey, optional: true },
    id: { value: z.uuid(), optional: true },
    config: CONFIG,
  },
};

export const PATCH_RULES: BodyRules = {
  fields: {
    name: { value: nameSchema, optional: true },
    enabled: { value: z.boolean(), optional: true },
    priority: { value: z.int().min(-1000).max(1000), optional: true },
    config: CONFIG,
    api_key: { value: emptyOrKey, optional: true },
  },
  // something to change: an empty key means "keep", so it is not a change on its own
  whole: (p) => Object.keys(p).some((k) => !(k === "api_key" && p[k] === "")),
};

export const LOGIN_RULES: BodyRules = {
  fields: {
    email: { value: z.string().trim().toLowerCase().min(3).max(254).regex(/^[^\u0000-\u001f\u007f]*$/) },
    password: { value: z.string().min(1).max(1024) },
  },
};

/** The text as the server receives it (fetch sends lone surrogates as U+FFFD). */
export const onTheWire = (text: string) => text.toWellFormed();

export function judgeBody(rules: BodyRules, type: string, text: string): Verdict {
  if (!isJsonType(type)) return { reject: 415, code: "unsupported_media_type" };
  const wire = onTheWire(text);
  if (Buffer.byteLength(wire) > 64 * 1024) return { reject: 413, code: "payload_too_large" };
  let data: unknown;
  try {
    data = JSON.parse(wire);
  } catch {
    return { reject: 400, code: "invalid_request" };
  }
  if (!isObject(data)) return { reject: 400, code: "invalid_request" };
  return accepts(rules, data) ? { valid: true } : { reject: 400, code: "invalid_request" };
}

export const isRejected = (v: Verdict): v is { reject: number; code: string } => "reject" in v;

/**
 * Bodies on which the app's request schema and the contract's rules above disagree (JSON object
 * texts only), each as "accepted by the schema" or "refused by the schema" with the body.
 */
export function disagreements(schema: ZodType, rules: BodyRules, texts: string[]): string[] {
  const out: string[] = [];
  for (const text of texts) {
    let data: unknown;
    try {
      data = JSON.parse(onTheWire(text));
    } catch {
      continue;
    }
    if (!isObject(data)) continue;
    const schemaSays = schema.safeParse(data).success;
    if (schemaSays !== accepts(rules, data)) out.push(`${schemaSays ? "accepted" : "refused"} by the schema: ${text.slice(0, 300)}`);
  }
  return out;
}

/** A check for a rejected body: that status and code, and a short detail (never an echo of a huge input). */
export function expectRejected(v: { reject: number; code: string }) {
  return (res: ApiResponse): string | null => {
    if (res.status !== v.reject) return `expected ${v.reject} ${v.code}`;
    if (res.body?.code !== v.code) return `expected code ${v.code}`;
    if (res.body.detail.length === 0 || res.body.detail.length > 500) return "detail empty or longer than 500 characters";
    return null;
  };
}
