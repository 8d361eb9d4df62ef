import { z } from "zod";
import { isProviderType, PROVIDER_TYPES, type ProviderType } from "@/lib/providers/catalogue";
import { asOldServiceRead, contractBody, NO_CONTROL, type Shape, unknownFields } from "@/lib/schemas/contract-body";

/**
 * One schema per request, shared by the REST handlers, the server actions and the forms. Messages
 * are written to be read after "<field>: "; none of them ever repeats a submitted key.
 */
const PRINTABLE_NO_SPACE = /^[\x21-\x7e]+$/;

/** A row id as the REST routes take it from their path; anything malformed ends in the same 404. */
export const providerIdSchema = z.string({ error: "id: must be a provider id" }).max(64, { error: "id: must be a provider id" });

export const providerTypeSchema = z
  .string({ error: (i) => (i.input === undefined ? "field required" : "must be a string") })
  .trim()
  .toLowerCase()
  .refine(isProviderType, {
    error: (i) =>
      `unknown provider '${String(i.input).slice(0, 40)}' (expected one of: ${PROVIDER_TYPES.join(", ")})`,
  })
  .transform((s) => s as ProviderType);

export const apiKeySchema = z
  .string({ error: (i) => (i.input === undefined ? "field required" : "must be a string") })
  .trim()
  .min(10, { error: "must be at least 10 characters" })
  .max(4096, { error: "must be at most 4096 characters" })
  .regex(PRINTABLE_NO_SPACE, { error: "must not contain whitespace, control or non-ASCII characters" });

export const nameSchema = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(100, { error: "must be at most 100 characters" })
  .regex(NO_CONTROL, { error: "must not contain control characters" });

export const baseUrlSchema = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(2048, { error: "must be at most 2048 characters" });

/**
 * `config` is a closed set: an unknown field inside it is refused (docs/api.md, "POST /api/v1/llm/providers/keys"), since a
 * misspelt `base_url` would otherwise be dropped silently; `null` for it, or for `base_url`, is absent.
 */
function configObject<S extends Shape>(shape: S) {
  return z.preprocess(asOldServiceRead(shape, false), z.strictObject(shape, { error: "must be an object" }));
}

export const configSchema = configObject({ base_url: baseUrlSchema.optional() });

export const saveKeySchema = contractBody({
  provider_type: providerTypeSchema,
  api_key: apiKeySchema,
  name: nameSchema.optional(),
  config: configSchema.optional(),
  require_valid: z.boolean({ error: "must be true or false" }).optional(),
});
export type SaveKeyInput = z.infer<typeof saveKeySchema>;

export const testKeySchema = contractBody({
  provider_type: providerTypeSchema,
  // null, empty or absent: test the stored key, else the environment key
  api_key: z.union([z.null(), z.literal(""), apiKeySchema], { error: "must be a string or null" }).optional(),
  id: z.uuid({ error: "must be a provider id (UUID)" }).optional(),
  config: configSchema.optional(),
});
export type TestKeyInput = z.infer<typeof testKeySchema>;

const PATCH_FIELDS = ["name", "enabled", "priority", "config", "api_key"] as const;

export const patchKeySchema = contractBody({
  name: nameSchema.optional(),
  enabled: z.boolean({ error: "must be true or false" }).optional(),
  priority: z
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(-1000, { error: "must be at least -1000" })
    .max(1000, { error: "must be at most 1000" })
    .optional(),
  config: configSchema.optional(),
  // the key again, with a base URL on another origin (see patchProviderKey); empty means keep
  api_key: z.union([z.literal("").transform(() => undefined), apiKeySchema], { error: "must be a string" }).optional(),
}).refine((v) => PATCH_FIELDS.some((k) => v[k] !== undefined), {
  error: (i) => {
    const ignored = (i.input as { ignoredFields?: string[] }).ignoredFields;
    return `send at least one of ${PATCH_FIELDS.join(", ")}${ignored ? ` (ignored ${unknownFields(ignored)})` : ""}`;
  },
});
export type PatchKeyInput = z.infer<typeof patchKeySchema>;
