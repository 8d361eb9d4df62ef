"use client";

import { useHydrated } from "@/components/client/use-hydrated";
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import type { ProviderType } from "@/lib/providers/catalogue";
import { isProviderType } from "@/lib/providers/catalogue";
import { DeleteDialog } from "./delete-dialog";
import { EditDialog } from "./edit-dialog";
import { KeyDialog, type KeyTarget } from "./key-dialog";
import { describeRow, ProviderCard, type RowAction } from "./provider-card";
import { ProviderListSkeleton } from "./provider-list-skeleton";
import { ProviderListToolbar } from "./provider-list-toolbar";
import { healthOverviewQuery, providerKeysQuery, type ProviderRow } from "./queries";
import { filterRows, type SortKey, sortRows } from "./sort-filter";
import { useViewChoice } from "./use-view-choice";
import { ViewSwitch } from "./view-switch";
import "./provider-keys.css";

// Loaded only when shown: the server always renders cards (the choice lives in the browser), so
// admins who keep the cards never download the compact view. React.lazy rather than next/dynamic,
// which would add its own loader code to the page.
// A failed download (offline, a deploy replaced the chunk) says so instead of breaking the page.
const CompactList = lazy(() =>
  import("./compact-list").then(
    (m) => ({ default: m.CompactList }),
    () => ({
      default: () => (
        <p role="alert" className="banner banner-bad">
          The compact view could not be loaded. Check your connection and reload the page, or switch back to Cards.
        </p>
      ),
    }),
  ),
);

type Dialog = { kind: "key"; target: KeyTarget } | { kind: "edit" | "delete"; row: ProviderRow };

/**
 * The Provider Keys tab: every provider at a glance, read through react-query (hydrated from the
 * server's prefetch, so no empty flash), changed through server actions that invalidate the list.
 */
export function ProviderKeysTab({ envFallback }: { envFallback: Record<ProviderType, boolean> }) {
  const query = useQuery(providerKeysQuery());
  const [filter, setFilter] = useState("");
  const [sort, setSort] = useState<SortKey>("default");
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [historyWindow, setHistoryWindow] = useState<"24h" | "7d">("24h");
  const overview = useQuery(healthOverviewQuery(historyWindow));
  const healthById = new Map((overview.data?.keys ?? []).map((k) => [k.provider_id, k]));
  const close = () => setDialog(null);
  const hydrated = useHydrated();
  const view = useViewChoice();

  const rows = query.data?.providers;
  const visible = rows ? sortRows(filterRows(rows, filter, describeRow), sort) : [];
  const onAction = (action: RowAction, row: ProviderRow) =>
    setDialog(action === "key" ? { kind: "key", target: { row } } : { kind: action, row });
  const deleting = dialog?.kind === "delete" ? dialog.row : null;

  return (
    <section aria-labelledby="provider-list-title" className="provider-keys" data-hydrated={hydrated || undefined}>
      <div className="tab-head">
        <h1 id="provider-list-title" tabIndex={-1}>
          Provider Keys
        </h1>
        {rows && <p className="muted">{summary(rows)}</p>}
      </div>
      <ProviderListToolbar
        filter={filter}
        onFilter={setFilter}
        sort={sort}
        onSort={setSort}
        refreshing={query.isFetching && !!rows}
        onAddCustom={() => setDialog({ kind: "key", target: { row: null } })}
      />
      <div className="view-bar">
        {view.wide && <ViewSwitch choice={view.choice} onChoose={view.choose} />}
        <fieldset className="window-toggle">
          <legend className="small muted">Check history</legend>
          {(["24h", "7d"] as const).map((w) => (
            <label key={w} className="small">
              <input type="radio" name="history-window" value={w} checked={historyWindow === w} onChange={() => setHistoryWindow(w)} /> {w === "24h" ? "Last 24 hours" : "Last 7 days"}
            </label>
          ))}
          {overview.isError && <span className="small outcome-warn"> History unavailable: {overview.error.message}</span>}
        </fieldset>
      </div>
      {query.isError && (
        <p role="alert" className="banner banner-bad">
          {rows ? `Could not refresh the list: ${query.error.message} Showing what was loaded before.` : query.error.message}
        </p>
      )}
      {!rows ? (
        !query.isError && <ProviderListSkeleton />
      ) : visible.length === 0 ? (
        <p className="empty">No provider matches “{filter}”.</p>
      ) : (
        <>
          {filter && (
            <p className="muted small" role="status">
              Showing {visible.length} of {rows.length} providers.
            </p>
          )}
          {view.shown === "compact" ? (
            <Suspense fallback={<ProviderListSkeleton />}>
              <CompactList rows={visible} filtering={filter.trim() !== ""} onAction={onAction} overview={overview.data} />
            </Suspense>
          ) : (
            <ul className="provider-list" aria-label="Providers">
              {visible.map((row) => (
                <li key={row.id}>
                  <ProviderCard
                    row={row}
                    onAction={onAction}
                    history={overview.data && { health: healthById.get(row.id), window: overview.data.window, since: overview.data.since, bucketSeconds: overview.data.bucket_seconds }}
                  />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <KeyDialog target={dialog?.kind === "key" ? dialog.target : null} onClose={close} />
      <EditDialog row={dialog?.kind === "edit" ? dialog.row : null} onClose={close} />
      <DeleteDialog
        row={deleting}
        envFallback={deleting !== null && isProviderType(deleting.provider_type) && envFallback[deleting.provider_type]}
        onClose={close}
      />
    </section>
  );
}

function summary(rows: ProviderRow[]): string {
  const stored = rows.filter((r) => r.key_source === "database").length;
  const env = rows.filter((r) => r.key_source === "environment").length;
  const problems = rows.filter((r) => r.health_status === "unhealthy" || r.health_status === "degraded").length;
  return [
    `${rows.length} providers`,
    `${stored} with a stored key`,
    `${env} from the environment`,
    problems ? `${problems} need${problems === 1 ? "s" : ""} attention` : "none failing",
  ].join(" · ");
}
