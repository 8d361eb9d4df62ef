"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { usePathname, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useHydrated } from "@/components/client/use-hydrated";
import "./audit.css";
import { AuditFilters } from "./audit-filters";
import { AuditRecord } from "./audit-record";
import { auditPagesQuery } from "./queries";
import { apiFilters, type AuditView, isFiltered, readView, viewSearch } from "./view";

/** The Audit tab: who did what, denials included, filtered in the URL, older records on demand. */
export function AuditTab() {
  const params = useSearchParams();
  const pathname = usePathname();
  const hydrated = useHydrated();
  const view = readView(params);
  const filters = apiFilters(view).toString();
  const query = useInfiniteQuery(auditPagesQuery(filters));
  const [openId, setOpenId] = useState<number | null>(null);
  const apply = (v: AuditView) => {
    setOpenId(null);
    window.history.pushState(null, "", `${pathname}${viewSearch(v)}`);
  };
  const events = query.data?.pages.flatMap((p) => p.events);
  const shown = events ? `${events.length} record${events.length === 1 ? "" : "s"}${query.hasNextPage ? " (older ones on request)" : ""}` : "";

  return (
    <section aria-labelledby="audit-title" className="audit" data-hydrated={hydrated || undefined}>
      <div className="tab-head">
        <h1 id="audit-title" tabIndex={-1}>
          Audit
        </h1>
        <p className="muted">Every change, test and sign-in, and every refused request (signed out, not allowed, rate limited, cross-site), newest first. The log cannot be edited; reading it is recorded too.</p>
      </div>
      <AuditFilters view={view} onApply={apply} />
      <div className="toolbar">
        <p className="muted small audit-count" aria-live="polite">
          {query.isPending ? "Loading the audit log…" : shown}
        </p>
        <div className="toolbar-end">
          <button type="button" className="btn-secondary" onClick={() => void query.refetch()} disabled={query.isFetching}>
            {query.isRefetching && !query.isFetchingNextPage ? "Refreshing…" : "Refresh"}
          </button>
          <a className="btn-link" href={hydrated ? `/api/v1/audit/export.csv${filters ? `?${filters}` : ""}` : undefined} download>
            Download CSV
          </a>
        </div>
      </div>
      {query.isError && (
        <div role="alert" className="banner banner-bad audit-error">
          <span>{events ? `Could not load more: ${query.error.message}` : `Could not load the audit log: ${query.error.message}`}</span>
          <button type="button" className="btn-secondary btn-small" onClick={() => void (events ? query.fetchNextPage() : query.refetch())}>
            Try again
          </button>
        </div>
      )}
      {!events ? (
        !query.isError && (
          <div className="skeleton" aria-hidden="true">
            <div className="skeleton-line wide" />
            <div className="skeleton-line" />
            <div className="skeleton-line" />
            <div className="skeleton-line short" />
          </div>
        )
      ) : events.length === 0 ? (
        <p className="empty">{isFiltered(view) ? "No records match these filters." : "Nothing recorded yet."}</p>
      ) : (
        <div className="audit-scroll">
          <table className="audit-table" aria-busy={query.isFetching || undefined}>
            <caption className="sr-only">Audit records, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Outcome</th>
                <th scope="col">Actor</th>
                <th scope="col" className="audit-wide">
                  Provider
                </th>
                <th scope="col">
                  <span className="sr-only">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <AuditRecord key={e.id} event={e} open={openId === e.id} onToggle={() => setOpenId(openId === e.id ? null : e.id)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage && (
        <div className="audit-more">
          <button type="button" className="btn-secondary" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? "Loading older records…" : "Load older records"}
          </button>
        </div>
      )}
    </section>
  );
}
