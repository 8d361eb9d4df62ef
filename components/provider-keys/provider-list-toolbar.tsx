"use client";

import { useId } from "react";
import { Icon } from "@/components/icons/icon";
import { SORTS, type SortKey } from "./sort-filter";

interface Props {
  filter: string;
  onFilter: (text: string) => void;
  sort: SortKey;
  onSort: (sort: SortKey) => void;
  refreshing: boolean;
  onAddCustom: () => void;
}

/** Filter and sort the list (useful once there are many custom endpoints), and add an endpoint. */
export function ProviderListToolbar({ filter, onFilter, sort, onSort, refreshing, onAddCustom }: Props) {
  const id = useId();
  return (
    <div className="toolbar">
      <div className="toolbar-field">
        <label htmlFor={`${id}-filter`}>Filter providers</label>
        <input id={`${id}-filter`} type="search" value={filter} onChange={(e) => onFilter(e.target.value)} placeholder="Name, type or URL" />
      </div>
      <div className="toolbar-field">
        <label htmlFor={`${id}-sort`}>Sort by</label>
        <select id={`${id}-sort`} value={sort} onChange={(e) => onSort(e.target.value as SortKey)}>
          {Object.entries(SORTS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="toolbar-end">
        <span className="muted small refreshing" aria-hidden={!refreshing}>
          {refreshing ? "Refreshing…" : ""}
        </span>
        <button type="button" onClick={onAddCustom}>
          <Icon name="add" />
          Add custom endpoint
        </button>
      </div>
    </div>
  );
}
