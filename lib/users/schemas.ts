import { z } from "zod";
import { MIN_PASSWORD_LENGTH } from "@/lib/env";
import { NO_CONTROL } from "@/lib/schemas/contract-body";

/**
 * The users API's request bodies, shared by the route handlers, the server actions, the forms and
 * the CLI. Messages are written to be read after "<field>: ".
 */

const OBJECT = { error: (i: { code: string }) => (i.code === "invalid_type" ? "must be an object" : undefined) };
const required = (what: string) => ({ error: (i: { input: unknown }) => (i.input === undefined ? "field required" : `must be ${what}`) });

export const emailSchema = z
  .string(required("a string"))
  .trim()
  .toLowerCase()
  .max(254, { error: "must be at most 254 characters" })
  .regex(NO_CONTROL, { error: "must not contain control characters" })
  .regex(/^[^\s@]+@[^\s@]+$/, { error: "must be an email address such as ana@example.com" });

export const roleSchema = z.enum(["admin", "viewer"], { error: "must be admin or viewer" });

/** A password someone chooses: long enough, not absurdly long (hashing cost), no control characters. */
export const newPasswordSchema = z
  .string(required("a string"))
  .min(MIN_PASSWORD_LENGTH, { error: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(1024, { error: "must be at most 1024 characters" })
  .regex(NO_CONTROL, { error: "must not contain control characters" });

/** Without `password`, a one-time password is generated, shown once, and must be changed at first sign-in. */
export const createUserSchema = z.strictObject({ email: emailSchema, role: roleSchema.default("viewer"), password: newPasswordSchema.optional() }, OBJECT);
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const patchUserSchema = z
  .strictObject({ role: roleSchema.optional(), disabled: z.boolean({ error: "must be true or false" }).optional() }, OBJECT)
  .refine((v) => v.role !== undefined || v.disabled !== undefined, { error: "send at least one of role, disabled" });
export type PatchUserInput = z.infer<typeof patchUserSchema>;

/** A reset without `password` generates a one-time password (shown once, to be changed at sign-in). */
export const resetPasswordSchema = z.strictObject({ password: newPasswordSchema.optional() }, OBJECT);
export type ResetPasswordInput = z.infer<typeof resetPasswordSchema>;

export const changePasswordSchema = z
  .strictObject({ current_password: z.string(required("a string")).min(1, { error: "must not be empty" }).max(1024, { error: "must be at most 1024 characters" }), new_password: newPasswordSchema }, OBJECT)
  .refine((v) => v.current_password !== v.new_password, { error: "must differ from the current password", path: ["new_password"] });
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

/** A user's or a session's id as a server action receives it (the service answers 404 for one that is none). */
export const userIdSchema = z.string({ error: "id: must be a user id" }).max(64, { error: "id: must be a user id" });
export const sessionRefSchema = z.string({ error: "session: must be a session id" }).max(64, { error: "session: must be a session id" });
