import "server-only";
import { listLiveModelPrices, seedModelPrices } from "@/lib/usage/price-queries";
import type { NewModelPrice } from "@/lib/db/schema";
import type { Price } from "./cost";
import { PRICE_SEED, seedPriceKey } from "./price-seed";

/**
 * The price table as the recorder reads it: loaded from the database, kept in memory, reloaded when
 * older than REFRESH_MS (so another instance's edit is picked up within a minute) and at once after
 * an edit on this instance. Costs are worked out when a batch is written, never on the request path.
 */
const REFRESH_MS = 60_000;

const g = globalThis as unknown as { __llmhubPrices?: { at: number; map: Map<string, Price> }; __llmhubPricesLoading?: Promise<Map<string, Price>> };

/** The prices by `route/model`, from memory when fresh. Throws when the database cannot be read. */
export async function currentPrices(now = Date.now()): Promise<Map<string, Price>> {
  const cached = g.__llmhubPrices;
  if (cached && now - cached.at < REFRESH_MS) return cached.map;
  g.__llmhubPricesLoading ??= listLiveModelPrices()
    .then((rows) => {
      const map = new Map<string, Price>(
        rows.map((r) => [seedPriceKey(r.route, r.model), { inputPerMtokUsd: r.inputPerMtokUsd, outputPerMtokUsd: r.outputPerMtokUsd, cachedInputPerMtokUsd: r.cachedInputPerMtokUsd }]),
      );
      g.__llmhubPrices = { at: Date.now(), map };
      return map;
    })
    .finally(() => (g.__llmhubPricesLoading = undefined));
  try {
    return await g.__llmhubPricesLoading;
  } catch (err) {
    // a stale table beats none: the batch can still be priced while the database is away
    if (cached) return cached.map;
    throw err;
  }
}

/** Drops the in-memory copy: the next batch reads the table again. */
export function invalidatePrices(): void {
  g.__llmhubPrices = undefined;
}

/** The seed file as table rows. */
export function seedRows(): NewModelPrice[] {
  return PRICE_SEED.prices.map((p) => ({
    route: p.route,
    model: p.model,
    kind: p.kind,
    inputPerMtokUsd: p.input_per_mtok_usd,
    outputPerMtokUsd: p.output_per_mtok_usd,
    cachedInputPerMtokUsd: p.cached_input_per_mtok_usd ?? null,
    source: p.source,
    sourceDate: p.source_date,
    origin: "seed",
  }));
}

/** Called at start (lib/boot.ts): missing seed prices are added; admin edits stay as they are. */
export async function seedPriceTable(): Promise<number> {
  const n = await seedModelPrices(seedRows());
  if (n) invalidatePrices();
  return n;
}
