"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useHydrated } from "@/components/client/use-hydrated";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { ConfirmHubKey } from "./confirm-hub-key";
import { formatCount, formatUsd } from "./format";
import { HubKeyCard } from "./hub-key-card";
import type { HubKeyDialog } from "./hub-key-dialog";
import { HubKeyForm } from "./hub-key-form";
import { HubKeysSkeleton } from "./hub-keys-skeleton";
import { HubKeysToolbar } from "./hub-keys-toolbar";
import { KeyOnce } from "./key-once";
import { hubKeysQuery, type HubKeyRow } from "./queries";
import { filterKeys, type SortKey, sortKeys, type StatusFilter } from "./sort-filter";
import "./hub-keys.css";

/**
 * The Hub Keys tab: the keys apps use with the gateway, with this month's usage against their
 * budgets. Read through react-query (hydrated from the server's prefetch), changed through server
 * actions that invalidate the list; a new key is shown once, with examples that use it.
 */
export function HubKeysTab() {
  const query = useQuery(hubKeysQuery());
  const [filter, setFilter] = useState("");
  const [status, setStatus] = useState<StatusFilter>("all");
  const [sort, setSort] = useState<SortKey>("created");
  const [dialog, setDialog] = useState<HubKeyDialog | null>(null);
  const hydrated = useHydrated();
  const rows = query.data?.hub_keys;
  const visible = rows ? sortKeys(filterKeys(rows, filter, status), sort) : [];
  const filtering = filter.trim() !== "" || status !== "all";
  const close = () => setDialog(null);
  // a dialog's close event arrives after the next one opened (create -> key): close only its own
  const closeIf = (...kinds: HubKeyDialog["kind"][]) => () => setDialog((d) => (d && kinds.includes(d.kind) ? null : d));
  const confirming = dialog?.kind === "delete" || dialog?.kind === "rotate" ? dialog : null;

  return (
    <section aria-labelledby="hub-keys-title" className="hub-keys" data-hydrated={hydrated || undefined}>
      <div className="tab-head">
        <h1 id="hub-keys-title" tabIndex={-1}>
          Hub Keys
        </h1>
        <p className="muted">{rows ? summary(rows) : "The keys apps use to call LLMs through the hub's gateway."}</p>
      </div>
      <HubKeysToolbar
        filter={filter}
        onFilter={setFilter}
        status={status}
        onStatus={setStatus}
        sort={sort}
        onSort={setSort}
        refreshing={query.isFetching && !!rows}
        onRefresh={() => void query.refetch()}
        onCreate={() => setDialog({ kind: "create" })}
      />
      {query.isError && (
        <p role="alert" className="banner banner-bad">
          {rows ? `Could not refresh the list: ${query.error.message} Showing what was loaded before.` : `Could not load the hub keys: ${query.error.message}`}
        </p>
      )}
      {!rows ? (
        query.isError ? (
          <button type="button" className="btn-secondary retry" onClick={() => void query.refetch()}>
            Try again
          </button>
        ) : (
          <HubKeysSkeleton />
        )
      ) : rows.length === 0 ? (
        <p className="empty">No hub keys yet. Create one for each app that calls LLMs through the hub: it gets its own limits, budget and usage, and can be cut off alone.</p>
      ) : visible.length === 0 ? (
        <div className="empty">
          <p>No hub key matches these filters.</p>
          <button type="button" className="btn-secondary" onClick={() => (setFilter(""), setStatus("all"))}>
            Clear filters
          </button>
        </div>
      ) : (
        <>
          {filtering && (
            <p className="muted small" role="status">
              Showing {visible.length} of {rows.length} hub keys.
            </p>
          )}
          <ul className="provider-list" aria-label="Hub keys">
            {visible.map((row) => (
              <li key={row.id}>
                <HubKeyCard row={row} onDialog={setDialog} />
              </li>
            ))}
          </ul>
        </>
      )}
      <ModalDialog open={dialog?.kind === "create" || dialog?.kind === "edit"} onClose={closeIf("create", "edit")} title={dialog?.kind === "edit" ? `Edit ${dialog.row.name}` : "Create a hub key"} initialFocus="input">
        {(dialog?.kind === "create" || dialog?.kind === "edit") && (
          <HubKeyForm row={dialog.kind === "edit" ? dialog.row : undefined} onCreated={(name, key, allowed) => setDialog({ kind: "key", name, key, allowed, rotated: false })} onDone={close} />
        )}
      </ModalDialog>
      <ModalDialog open={dialog?.kind === "key"} onClose={closeIf("key")} title={dialog?.kind === "key" && dialog.rotated ? "New key" : "Hub key created"} initialFocus="[data-initial-focus]" fallbackFocusId="create-hub-key">
        {dialog?.kind === "key" && <KeyOnce name={dialog.name} hubKey={dialog.key} allowed={dialog.allowed} rotated={dialog.rotated} onDone={close} />}
      </ModalDialog>
      <ModalDialog open={!!confirming} onClose={closeIf("delete", "rotate")} title={confirming ? (confirming.kind === "delete" ? `Delete ${confirming.row.name}?` : `Rotate the key of ${confirming.row.name}?`) : ""} initialFocus="[data-initial-focus]" fallbackFocusId="create-hub-key">
        {confirming && (
          <ConfirmHubKey kind={confirming.kind} row={confirming.row} onCancel={close} onRotated={(key) => setDialog({ kind: "key", name: confirming.row.name, key, allowed: confirming.row.allowed, rotated: true })} />
        )}
      </ModalDialog>
    </section>
  );
}

function summary(rows: HubKeyRow[]): string {
  const active = rows.filter((r) => r.status === "active").length;
  const requests = rows.reduce((n, r) => n + r.this_month.requests, 0);
  const spend = rows.reduce((n, r) => n + r.this_month.cost_usd, 0);
  return `${rows.length} hub key${rows.length === 1 ? "" : "s"}, ${active} active · this month: ${formatCount(requests)} request${requests === 1 ? "" : "s"}, ${formatUsd(spend)}`;
}
