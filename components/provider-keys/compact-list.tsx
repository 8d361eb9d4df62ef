"use client";

import { useId, useState } from "react";
import "./compact-view.css";
import { Icon } from "@/components/icons/icon";
import { CompactRow } from "./compact-row";
import type { RowAction, RowHistory } from "./provider-card";
import type { KeyHealthOverview, ProviderRow } from "./queries";

interface Props {
  rows: ProviderRow[];
  /** While filtering, matches inside the "Not set up" group are shown without a click. */
  filtering: boolean;
  onAction: (action: RowAction, row: ProviderRow) => void;
  overview: { keys: KeyHealthOverview[]; window: "24h" | "7d"; since: string; bucket_seconds: number } | undefined;
}

const COLUMNS = ["Provider", "Source", "Key", "Health", "Last test", "Checks", "Actions"];

/**
 * The compact view: one table row per provider, configured ones first in the list's order, and the
 * providers without any key folded into one "Not set up" group that opens on demand.
 */
export function CompactList({ rows, filtering, onAction, overview }: Props) {
  const [expanded, setExpanded] = useState(false);
  const groupId = useId();
  const healthById = new Map((overview?.keys ?? []).map((k) => [k.provider_id, k]));
  const historyOf = (row: ProviderRow): RowHistory | undefined =>
    overview && { health: healthById.get(row.id), window: overview.window, since: overview.since, bucketSeconds: overview.bucket_seconds };
  const configured = rows.filter((r) => r.key_source !== "not_set");
  const notSetUp = rows.filter((r) => r.key_source === "not_set");
  const open = expanded || filtering;
  const windowLabel = overview?.window === "7d" ? "7 days" : "24 h";

  return (
    <table className="compact-table" aria-label="Providers">
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th key={c} scope="col" className={c === "Actions" ? "compact-actions" : undefined}>
              {c === "Checks" ? `Checks, ${windowLabel}` : c === "Actions" ? <span className="sr-only">Actions</span> : c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {configured.map((row) => (
          <CompactRow key={row.id} row={row} onAction={onAction} history={historyOf(row)} />
        ))}
        {configured.length === 0 && (
          <tr>
            <td colSpan={COLUMNS.length} className="muted">
              {filtering ? "No matching provider has a key yet." : "No provider has a key yet."}
            </td>
          </tr>
        )}
      </tbody>
      {notSetUp.length > 0 && (
        <tbody id={groupId} className="compact-group">
          <tr>
            <th colSpan={COLUMNS.length} scope="rowgroup">
              <button type="button" className="btn-ghost compact-group-toggle" aria-expanded={open} aria-controls={groupId} onClick={() => !filtering && setExpanded(!expanded)} aria-disabled={filtering || undefined}>
                <Icon name="expand" className="compact-chevron" />
                Not set up <span className="muted">({notSetUp.length})</span>
              </button>
              {!open && <span className="muted small"> {notSetUp.map((r) => r.name).join(", ")}</span>}
            </th>
          </tr>
          {open && notSetUp.map((row) => <CompactRow key={row.id} row={row} onAction={onAction} history={historyOf(row)} />)}
        </tbody>
      )}
    </table>
  );
}
