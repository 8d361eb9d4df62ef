import type { ProviderRow } from "./queries";

export const SORTS = {
  default: "Configured first",
  name: "Name (A–Z)",
  health: "Health (problems first)",
  tested: "Last tested (newest first)",
} as const;
export type SortKey = keyof typeof SORTS;

const HEALTH_ORDER: Record<string, number> = { unhealthy: 0, degraded: 1, unknown: 2, healthy: 3 };

/** Rows whose name, type, description or base URL contains the text (case-insensitive). */
export function filterRows(rows: ProviderRow[], text: string, describe: (r: ProviderRow) => string): ProviderRow[] {
  const q = text.trim().toLowerCase();
  if (!q) return rows;
  return rows.filter((r) =>
    [r.name, r.provider_type, describe(r), r.config.base_url ?? ""].some((s) => s.toLowerCase().includes(q)),
  );
}

/** A sorted copy; "default" keeps the server's order (stored keys first, then priority, then name). */
export function sortRows(rows: ProviderRow[], sort: SortKey): ProviderRow[] {
  const byName = (a: ProviderRow, b: ProviderRow) => a.name.localeCompare(b.name);
  const out = [...rows];
  if (sort === "name") out.sort(byName);
  if (sort === "health") out.sort((a, b) => (HEALTH_ORDER[a.health_status] ?? 2) - (HEALTH_ORDER[b.health_status] ?? 2) || byName(a, b));
  if (sort === "tested") out.sort((a, b) => (b.last_tested ?? "").localeCompare(a.last_tested ?? "") || byName(a, b));
  return out;
}
