import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { type ModelPrice, modelPrices, type NewModelPrice } from "@/lib/db/schema";

/** Every price in force (not removed by an admin), by route then model. */
export async function listLiveModelPrices(): Promise<ModelPrice[]> {
  const db = await getDb();
  return db.select().from(modelPrices).where(eq(modelPrices.removed, false)).orderBy(asc(modelPrices.route), asc(modelPrices.model));
}

export async function getModelPrice(route: string, model: string): Promise<ModelPrice | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(modelPrices).where(and(eq(modelPrices.route, route), eq(modelPrices.model, model)));
  return row;
}

/**
 * Seeds the table in one statement: missing rows are inserted, and rows still as the seed left
 * them follow the seed file's current figures; a row an admin set or removed is never touched.
 * Returns how many rows were inserted or refreshed.
 */
export async function seedModelPrices(rows: readonly NewModelPrice[]): Promise<number> {
  if (rows.length === 0) return 0;
  const db = await getDb();
  const result = await db.execute(sql`
    insert into model_prices as p (route, model, kind, input_per_mtok_usd, output_per_mtok_usd, cached_input_per_mtok_usd, source, source_date, origin)
    select route, model, kind, "inputPerMtokUsd", "outputPerMtokUsd", "cachedInputPerMtokUsd", source, "sourceDate", 'seed'
    from json_to_recordset(${JSON.stringify(rows)}::json) as x(route text, model text, kind text, "inputPerMtokUsd" numeric,
      "outputPerMtokUsd" numeric, "cachedInputPerMtokUsd" numeric, source text, "sourceDate" date)
    on conflict (route, model) do update set
      kind = excluded.kind, input_per_mtok_usd = excluded.input_per_mtok_usd, output_per_mtok_usd = excluded.output_per_mtok_usd,
      cached_input_per_mtok_usd = excluded.cached_input_per_mtok_usd, source = excluded.source, source_date = excluded.source_date,
      updated_at = now()
    where p.origin = 'seed' and not p.removed and (p.input_per_mtok_usd, p.output_per_mtok_usd, p.cached_input_per_mtok_usd, p.source, p.source_date)
      is distinct from (excluded.input_per_mtok_usd, excluded.output_per_mtok_usd, excluded.cached_input_per_mtok_usd, excluded.source, excluded.source_date)
    returning 1`);
  return rowsOf(result).length;
}

/** An admin's price: inserted, or replacing whatever was there (seed or removed), as origin `admin`. */
export async function upsertAdminModelPrice(row: Omit<NewModelPrice, "origin" | "removed">): Promise<ModelPrice> {
  const db = await getDb();
  const values = { ...row, origin: "admin" as const, removed: false };
  const [out] = await db
    .insert(modelPrices)
    .values(values)
    .onConflictDoUpdate({ target: [modelPrices.route, modelPrices.model], set: { ...values, updatedAt: sql`now()` } })
    .returning();
  if (!out) throw new Error("price upsert returned no row");
  return out;
}

/** Marks a price removed (kept as a tombstone so the seed does not bring it back); the row before, or undefined. */
export async function removeModelPrice(route: string, model: string, by: string): Promise<ModelPrice | undefined> {
  const db = await getDb();
  const [row] = await db
    .update(modelPrices)
    .set({ removed: true, origin: "admin", updatedAt: sql`now()`, updatedBy: by })
    .where(and(eq(modelPrices.route, route), eq(modelPrices.model, model), eq(modelPrices.removed, false)))
    .returning();
  return row;
}
