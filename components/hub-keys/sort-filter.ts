import type { HubKeyRow } from "./queries";

export const SORTS = {
  created: "Newest first",
  name: "Name (A–Z)",
  requests: "Most requests this month",
  spend: "Highest spend this month",
  used: "Last used (recent first)",
} as const;
export type SortKey = keyof typeof SORTS;

export const STATUS_FILTERS = { all: "Any status", active: "Active", disabled: "Disabled", expired: "Expired" } as const;
export type StatusFilter = keyof typeof STATUS_FILTERS;

/** Keys whose name, owner, preview or an allowed pattern contains the text (case-insensitive), in the status asked for. */
export function filterKeys(rows: HubKeyRow[], text: string, status: StatusFilter): HubKeyRow[] {
  const q = text.trim().toLowerCase();
  return rows.filter(
    (r) => (status === "all" || r.status === status) && (!q || [r.name, r.owner ?? "", r.key_preview, ...r.allowed].some((s) => s.toLowerCase().includes(q))),
  );
}

/** A sorted copy; "created" keeps the server's order (newest first). Ties go by name. */
export function sortKeys(rows: HubKeyRow[], sort: SortKey): HubKeyRow[] {
  const byName = (a: HubKeyRow, b: HubKeyRow) => a.name.localeCompare(b.name);
  const out = [...rows];
  if (sort === "name") out.sort(byName);
  if (sort === "requests") out.sort((a, b) => b.this_month.requests - a.this_month.requests || byName(a, b));
  if (sort === "spend") out.sort((a, b) => b.this_month.cost_usd - a.this_month.cost_usd || byName(a, b));
  if (sort === "used") out.sort((a, b) => (b.last_used_at ?? "").localeCompare(a.last_used_at ?? "") || byName(a, b));
  return out;
}
