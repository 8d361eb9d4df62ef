import { z } from "zod";
import { normalizePattern, patternProblem } from "@/lib/providers/model-route";
import { HUB_KEY_SCOPES } from "./scopes";

/**
 * The hub-keys API's request bodies (gateway.md section 1), shared by the route handlers and the CLI.
 * Messages are written to be read after "<field>: ". `null` clears an optional field on PATCH.
 */
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
/** Only a body that is not an object gets this message; unknown fields keep zod's issue (parseWith names them). */
const OBJECT = { error: (i: { code: string }) => (i.code === "invalid_type" ? "must be an object" : undefined) };
export const MAX_PATTERNS = 100;
export const MAX_RPM = 1_000_000;
export const MAX_BUDGET_USD = 1_000_000_000;

const text = (max: number) =>
  z
    .string({ error: (i) => (i.input === undefined ? "field required" : "must be a string") })
    .trim()
    .min(1, { error: "must not be empty" })
    .max(max, { error: `must be at most ${max} characters` })
    .regex(NO_CONTROL, { error: "must not contain control characters" });

const pattern = z.string({ error: "must be a string" }).superRefine((s, ctx) => {
  const problem = patternProblem(s);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const allowedSchema = z
  .array(pattern, { error: "must be a list of patterns such as ['openai/*', 'groq/llama-*']" })
  .max(MAX_PATTERNS, { error: `must hold at most ${MAX_PATTERNS} patterns` })
  .transform((list) => [...new Set(list.map(normalizePattern))]);

const rpmSchema = z
  .number({ error: "must be a whole number of requests per minute" })
  .int({ error: "must be a whole number" })
  .min(1, { error: "must be at least 1" })
  .max(MAX_RPM, { error: `must be at most ${MAX_RPM}` });

const budgetSchema = z
  .number({ error: "must be a number of US dollars" })
  .positive({ error: "must be more than 0" })
  // hub_keys.monthly_budget_usd keeps 4 decimals: anything smaller would be stored as $0 (every request refused)
  .min(0.0001, { error: "must be at least 0.0001 (budgets are kept to a hundredth of a cent)" })
  .max(MAX_BUDGET_USD, { error: `must be at most ${MAX_BUDGET_USD}` });

const SCOPE_LIST = HUB_KEY_SCOPES.join(", ");
/** The scopes a key is given: at least one of `gateway` and `ingest`, each once, in a fixed order. */
export const scopesSchema = z
  .array(z.enum(HUB_KEY_SCOPES, { error: `must be one of ${SCOPE_LIST}` }), { error: `must be a list of scopes (${SCOPE_LIST})` })
  .min(1, { error: `must hold at least one scope (${SCOPE_LIST})` })
  .transform((list) => HUB_KEY_SCOPES.filter((s) => list.includes(s)));

const expiresSchema = z
  .iso.datetime({ offset: true, error: "must be an ISO 8601 date and time with a zone, e.g. 2027-01-31T00:00:00Z" })
  .transform((s) => new Date(s));

/** A hub key's id as a server action receives it (the service answers 404 for one that is not a key). */
export const hubKeyIdSchema = z.string({ error: "id: must be a hub key id" }).max(64, { error: "id: must be a hub key id" });

export const createHubKeySchema = z.strictObject(
  {
    name: text(100),
    owner: text(200).nullish(),
    allowed: allowedSchema.optional(),
    rpm_limit: rpmSchema.nullish(),
    monthly_budget_usd: budgetSchema.nullish(),
    expires_at: expiresSchema
      .refine((d) => d.getTime() > Date.now(), { error: "must be in the future" })
      .nullish(),
    enabled: z.boolean({ error: "must be true or false" }).optional(),
    scopes: scopesSchema.optional(),
  },
  OBJECT,
);
export type CreateHubKeyInput = z.infer<typeof createHubKeySchema>;

const PATCH_FIELDS = ["name", "owner", "allowed", "rpm_limit", "monthly_budget_usd", "expires_at", "enabled", "scopes"] as const;

export const patchHubKeySchema = z
  .strictObject(
    {
      name: text(100).optional(),
      owner: text(200).nullish(),
      allowed: allowedSchema.optional(),
      rpm_limit: rpmSchema.nullish(),
      monthly_budget_usd: budgetSchema.nullish(),
      // a time in the past is allowed here: it expires the key at once
      expires_at: expiresSchema.nullish(),
      enabled: z.boolean({ error: "must be true or false" }).optional(),
      scopes: scopesSchema.optional(),
    },
    OBJECT,
  )
  .refine((v) => PATCH_FIELDS.some((k) => v[k] !== undefined), { error: `send at least one of ${PATCH_FIELDS.join(", ")}` });
export type PatchHubKeyInput = z.infer<typeof patchHubKeySchema>;
