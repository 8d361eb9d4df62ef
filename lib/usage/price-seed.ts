import { z } from "zod";
import { PROVIDER_TYPES, type ProviderType } from "@/lib/providers/catalogue";
import seedJson from "./prices.seed.json";

/**
 * The seed file of the gateway's price table (`prices.seed.json`), its schema and a lookup. The
 * gateway seeds its database table from `PRICE_SEED`; admins edit prices there afterwards. Prices
 * are USD per million tokens. A model with no price is recorded as `unpriced`, never as $0, so the
 * lookup returns `undefined` rather than a zero row.
 */

/** Custom endpoints have no seed prices: their models and prices are whatever the admin's server says. */
export type PricedRoute = Exclude<ProviderType, "custom">;
export const PRICED_ROUTES = PROVIDER_TYPES.filter((t): t is PricedRoute => t !== "custom") as [PricedRoute, ...PricedRoute[]];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
// A web page, or a file in a public repository pinned to a full commit ("owner/repo path @ <sha>").
const SOURCE = /^(https:\/\/\S+|[\w.-]+\/[\w.-]+ \S+ @ [0-9a-f]{40}\b.*)$/;
// Per-MTok prices outside this band are almost always a unit slip (a per-token or per-1K figure).
const MIN_PRICE = 0.001;
const MAX_PRICE = 1000;

const isoDate = z.string({ error: "must be a string" }).refine(isCalendarDate, { error: "must be an ISO date (YYYY-MM-DD)" });

const price = z
  .number({ error: "must be a number" })
  .refine(Number.isFinite, { error: "must be finite" })
  .refine((n) => n >= 0, { error: "must not be negative" })
  .refine((n) => n === 0 || (n >= MIN_PRICE && n <= MAX_PRICE), {
    error: `must be 0 or between ${MIN_PRICE} and ${MAX_PRICE} USD per million tokens`,
  });

export const seedPriceSchema = z
  .strictObject({
    route: z.enum(PRICED_ROUTES, { error: `must be one of: ${PRICED_ROUTES.join(", ")}` }),
    model: z
      .string({ error: "must be a string" })
      .min(1, { error: "must not be empty" })
      .max(200, { error: "must be at most 200 characters" })
      .regex(/^[^\s/][^\s]*$/, { error: "must be the provider's own id, without spaces or a leading '/'" }),
    kind: z.enum(["chat", "embedding"], { error: "must be 'chat' or 'embedding'" }),
    input_per_mtok_usd: price,
    output_per_mtok_usd: price,
    cached_input_per_mtok_usd: price.optional(),
    source: z.string({ error: "must be a string" }).regex(SOURCE, {
      error: "must be an https URL or '<owner>/<repo> <path> @ <40-hex commit>'",
    }),
    source_date: isoDate,
    checked_against: z.array(z.string().min(1, { error: "must not be empty" })).optional(),
    note: z.string().min(1, { error: "must not be empty" }).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.model.startsWith(`${p.route}/`))
      ctx.addIssue({ code: "custom", path: ["model"], message: `must not repeat the route: '${p.route}/' is added by the gateway` });
    if (p.input_per_mtok_usd === 0)
      ctx.addIssue({ code: "custom", path: ["input_per_mtok_usd"], message: "must be above 0 (leave a model out to record it as unpriced)" });
    if (p.kind === "chat" && p.output_per_mtok_usd === 0)
      ctx.addIssue({ code: "custom", path: ["output_per_mtok_usd"], message: "must be above 0 for a chat model" });
    if (p.kind === "embedding" && (p.output_per_mtok_usd !== 0 || p.cached_input_per_mtok_usd !== undefined))
      ctx.addIssue({ code: "custom", path: ["output_per_mtok_usd"], message: "an embedding model is priced on input only (output 0, no cached price)" });
    if (p.cached_input_per_mtok_usd !== undefined && p.cached_input_per_mtok_usd > p.input_per_mtok_usd)
      ctx.addIssue({ code: "custom", path: ["cached_input_per_mtok_usd"], message: "must not exceed the input price" });
  });
export type SeedPrice = z.infer<typeof seedPriceSchema>;

export const priceSeedSchema = z
  .strictObject({
    generated_at: isoDate,
    note: z.string().min(1, { error: "must explain the units" }),
    prices: z.array(seedPriceSchema),
  })
  .superRefine((seed, ctx) => {
    const seen = new Set<string>();
    seed.prices.forEach((p, i) => {
      const key = seedPriceKey(p.route, p.model);
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["prices", i, "model"], message: `duplicate price for ${key}` });
      seen.add(key);
      if (p.source_date > seed.generated_at)
        ctx.addIssue({ code: "custom", path: ["prices", i, "source_date"], message: "must not be after generated_at" });
    });
  });
export type PriceSeed = z.infer<typeof priceSeedSchema>;

/** Parses a seed document, throwing one error that names every bad field (`prices.3.source_date: …`). */
export function parsePriceSeed(data: unknown): PriceSeed {
  const result = priceSeedSchema.safeParse(data);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  throw new Error(`invalid price seed:\n${lines.join("\n")}`);
}

/** The key the gateway uses for a price: `<route>/<provider's model id>`, as clients send it. */
export function seedPriceKey(route: string, model: string): string {
  return `${route}/${model}`;
}

export const PRICE_SEED: PriceSeed = parsePriceSeed(seedJson);

const byKey = new Map(PRICE_SEED.prices.map((p) => [seedPriceKey(p.route, p.model), p]));

/** The seed price of `route/model`, or `undefined` when there is none: the caller records `unpriced`. */
export function lookupSeedPrice(route: string, model: string): SeedPrice | undefined {
  return byKey.get(seedPriceKey(route, model));
}

function isCalendarDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}
