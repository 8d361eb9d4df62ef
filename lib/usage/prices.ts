import "server-only";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import { getModelPrice, listLiveModelPrices, removeModelPrice, upsertAdminModelPrice } from "@/lib/usage/price-queries";
import type { ModelPrice } from "@/lib/db/schema";
import { AppError, badRequest } from "@/lib/errors";
import { log } from "@/lib/log";
import type { CallContext } from "@/lib/call-context";
import { invalidatePrices } from "./price-cache";
import { seedPriceKey } from "./price-seed";

/**
 * The price table's admin API (`/api/v1/llm/usage/prices…`): list, set and delete the per-million-
 * token price of a `route/model`. An admin's price is never overwritten by the seed file, and a
 * deleted one is not seeded back: the model is then recorded as unpriced. Prices apply to requests
 * written after the change (on this instance at once, on others within a minute); recorded costs
 * are not recomputed.
 */

const ROUTE = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const MODEL = /^[^\s/][^\s]{0,199}$/;

const perMtok = z
  .number({ error: "must be a number (USD per million tokens)" })
  .refine(Number.isFinite, { error: "must be finite" })
  .min(0, { error: "must not be negative" })
  .max(1000, { error: "must be at most 1000 USD per million tokens (is it a per-token price?)" });

export const setPriceSchema = z
  .strictObject({
    kind: z.enum(["chat", "embedding"], { error: "must be 'chat' or 'embedding'" }).default("chat"),
    input_per_mtok_usd: perMtok,
    output_per_mtok_usd: perMtok,
    cached_input_per_mtok_usd: perMtok.nullable().optional(),
    source: z.string({ error: "must be a string" }).trim().min(1, { error: "must not be empty" }).max(500, { error: "must be at most 500 characters" }).nullable().optional(),
    source_date: z.iso.date({ error: "must be a date (YYYY-MM-DD)" }).nullable().optional(),
  })
  .refine((p) => p.cached_input_per_mtok_usd == null || p.cached_input_per_mtok_usd <= p.input_per_mtok_usd, {
    path: ["cached_input_per_mtok_usd"],
    error: "must not exceed input_per_mtok_usd",
  });
export type SetPriceInput = z.infer<typeof setPriceSchema>;

/** `{route}` and `{model…}` of the URL, checked: 400 naming the bad one. */
export function parsePricePath(route: string, modelParts: string[]): { route: string; model: string } {
  const model = modelParts.map(decodeSegment).join("/");
  if (!ROUTE.test(route)) throw badRequest("route: must be a provider route (lowercase letters, digits, '-' or '_')");
  if (!MODEL.test(model)) throw badRequest("model: must be the provider's own model id (1-200 characters, no spaces, no leading '/')");
  return { route, model };
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw badRequest("model: is not a valid URL path (bad %-encoding)");
  }
}

export function serializePrice(p: ModelPrice) {
  return {
    key: seedPriceKey(p.route, p.model),
    route: p.route,
    model: p.model,
    kind: p.kind,
    input_per_mtok_usd: p.inputPerMtokUsd,
    output_per_mtok_usd: p.outputPerMtokUsd,
    cached_input_per_mtok_usd: p.cachedInputPerMtokUsd,
    source: p.source,
    source_date: p.sourceDate,
    origin: p.origin,
    updated_at: p.updatedAt.toISOString(),
    updated_by: p.updatedBy,
  };
}

export async function listPrices() {
  const rows = await listLiveModelPrices();
  return { prices: rows.map(serializePrice), count: rows.length };
}

/** Sets one price; `created` when the model had none (the route answers 201), else it replaced one. */
export async function setPrice(call: CallContext, path: { route: string; model: string }, input: SetPriceInput) {
  const before = await getModelPrice(path.route, path.model);
  const row = await upsertAdminModelPrice({
    route: path.route,
    model: path.model,
    kind: input.kind,
    inputPerMtokUsd: input.input_per_mtok_usd,
    outputPerMtokUsd: input.output_per_mtok_usd,
    cachedInputPerMtokUsd: input.cached_input_per_mtok_usd ?? null,
    source: input.source ?? null,
    sourceDate: input.source_date ?? null,
    updatedBy: call.actor.email,
  });
  invalidatePrices();
  const created = !before || before.removed;
  const was = before && !before.removed ? { input: before.inputPerMtokUsd, output: before.outputPerMtokUsd, cached: before.cachedInputPerMtokUsd, origin: before.origin } : null;
  await recordAudit(
    { action: "usage.price_set", outcome: "success", actor: call.actor, target: seedPriceKey(row.route, row.model), statusCode: created ? 201 : 200, detail: { was, now: { input: row.inputPerMtokUsd, output: row.outputPerMtokUsd, cached: row.cachedInputPerMtokUsd } } },
    call.request,
  );
  log.info(`Admin ${call.actor.email} set the price of ${seedPriceKey(row.route, row.model)}`);
  return { created, price: serializePrice(row) };
}

/** Deletes one price: the model is unpriced from then on (and the seed does not bring it back). */
export async function deletePrice(call: CallContext, path: { route: string; model: string }) {
  const before = await removeModelPrice(path.route, path.model, call.actor.email);
  const key = seedPriceKey(path.route, path.model);
  if (!before) throw new AppError("not_found", `No price for ${key}`);
  invalidatePrices();
  await recordAudit({ action: "usage.price_delete", outcome: "success", actor: call.actor, target: key, statusCode: 200, detail: { was: { input: before.inputPerMtokUsd, output: before.outputPerMtokUsd, origin: before.origin } } }, call.request);
  log.info(`Admin ${call.actor.email} deleted the price of ${key}`);
  return { key };
}
