import { z } from "zod";

/**
 * One schema per request, shared by the REST handlers and the server actions. Messages are written
 * to be read after "<field>: ".
 */
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
const nameSchema = z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(100, "must be at most 100 characters").regex(NO_CONTROL, "must not contain control characters");
const urlSchema = z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(2048, "must be at most 2048 characters");
const kindSchema = z.enum(["generic", "slack"], { error: "must be 'generic' or 'slack'" });

/** A webhook id as the REST routes take it from their path; anything malformed ends in the same 404. */
export const webhookIdSchema = z.string({ error: "id: must be a webhook id" }).max(64, { error: "id: must be a webhook id" });

export const createWebhookSchema = z.strictObject({ name: nameSchema, url: urlSchema, kind: kindSchema.default("generic"), enabled: z.boolean({ error: "must be true or false" }).default(true) });
export const patchWebhookSchema = z
  .strictObject({ name: nameSchema.optional(), url: urlSchema.optional(), kind: kindSchema.optional(), enabled: z.boolean({ error: "must be true or false" }).optional() })
  .refine((v) => Object.keys(v).length > 0, { error: "send at least one of: name, url, kind, enabled" });
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;
export type PatchWebhookInput = z.infer<typeof patchWebhookSchema>;

export const deliveriesQuerySchema = z.object({
  limit: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(200, "must be at most 200").default(50),
});
