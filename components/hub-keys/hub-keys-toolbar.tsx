"use client";

import { useId } from "react";
import { Icon } from "@/components/icons/icon";
import { SORTS, type SortKey, STATUS_FILTERS, type StatusFilter } from "./sort-filter";

interface Props {
  filter: string;
  onFilter: (text: string) => void;
  status: StatusFilter;
  onStatus: (s: StatusFilter) => void;
  sort: SortKey;
  onSort: (sort: SortKey) => void;
  refreshing: boolean;
  onRefresh: () => void;
  onCreate: () => void;
}

/** Filter by text and status, sort, refresh the usage figures, and create a key. */
export function HubKeysToolbar({ filter, onFilter, status, onStatus, sort, onSort, refreshing, onRefresh, onCreate }: Props) {
  const id = useId();
  return (
    <div className="toolbar">
      <div className="toolbar-field">
        <label htmlFor={`${id}-filter`}>Filter hub keys</label>
        <input id={`${id}-filter`} type="search" value={filter} onChange={(e) => onFilter(e.target.value)} placeholder="Name, owner, key or model" />
      </div>
      <div className="toolbar-field narrow">
        <label htmlFor={`${id}-status`}>Status</label>
        <select id={`${id}-status`} value={status} onChange={(e) => onStatus(e.target.value as StatusFilter)}>
          {Object.entries(STATUS_FILTERS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="toolbar-field narrow">
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
        <button type="button" className="btn-secondary" aria-disabled={refreshing} onClick={() => !refreshing && onRefresh()}>
          Refresh
        </button>
        <button type="button" id="create-hub-key" onClick={onCreate}>
          <Icon name="add" />
          Create hub key
        </button>
      </div>
    </div>
  );
}
