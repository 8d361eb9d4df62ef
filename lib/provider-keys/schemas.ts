import { z } from "zod";
import { isProviderType, PROVIDER_TYPES, type ProviderType } from "@/lib/providers/catalogue";

/**
 * One schema per request, shared by the REST handlers, the server actions and the forms. Messages
 * are written to be read after "<field>: "; none of them ever repeats a submitted key.
 */
const PRINTABLE_NO_SPACE = /^[\x21-\x7e]+$/;
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

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

const baseUrlSchema = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(2048, { error: "must be at most 2048 characters" });

export const configSchema = z.strictObject({ base_url: baseUrlSchema.optional() }, { error: "must be an object" });

export const saveKeySchema = z.strictObject({
  provider_type: providerTypeSchema,
  api_key: apiKeySchema,
  name: nameSchema.optional(),
  config: configSchema.optional(),
  require_valid: z.boolean({ error: "must be true or false" }).optional(),
});
export type SaveKeyInput = z.infer<typeof saveKeySchema>;

export const testKeySchema = z.strictObject({
  provider_type: providerTypeSchema,
  // null, empty or absent: test the stored key, else the environment key
  api_key: z.union([z.null(), z.literal(""), apiKeySchema], { error: "must be a string or null" }).optional(),
  id: z.uuid({ error: "must be a provider id (UUID)" }).optional(),
  config: configSchema.optional(),
});
export type TestKeyInput = z.infer<typeof testKeySchema>;

export const patchKeySchema = z
  .strictObject({
    name: nameSchema.optional(),
    enabled: z.boolean({ error: "must be true or false" }).optional(),
    priority: z
      .number({ error: "must be a number" })
      .int({ error: "must be a whole number" })
      .min(-1000, { error: "must be at least -1000" })
      .max(1000, { error: "must be at most 1000" })
      .optional(),
    config: z.strictObject({ base_url: z.union([z.null(), baseUrlSchema]).optional() }, { error: "must be an object" }).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { error: "send at least one of name, enabled, priority, config" });
export type PatchKeyInput = z.infer<typeof patchKeySchema>;

export const loginSchema = z.strictObject({
  email: z
    .string({ error: (i) => (i.input === undefined ? "field required" : "must be a string") })
    .trim()
    .toLowerCase()
    .min(3, { error: "must be an email address" })
    .max(254, { error: "must be at most 254 characters" })
    .regex(NO_CONTROL, { error: "must not contain control characters" }),
  password: z.string({ error: (i) => (i.input === undefined ? "field required" : "must be a string") }).min(1, { error: "must not be empty" }).max(1024, { error: "must be at most 1024 characters" }),
});
