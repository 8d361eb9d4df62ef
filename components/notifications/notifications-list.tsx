"use client";

import { useHydrated } from "@/components/client/use-hydrated";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { callAction, explainFailure } from "@/components/client/action-call";
import { RelativeTime } from "@/components/ui/relative-time";
import { useToast } from "@/components/ui/toaster";
import { markAllNotificationsReadAction, markNotificationReadAction } from "@/lib/actions/notifications";
import { fetchNotifications, type Notification, notificationKeys, type NotificationPage, PAGE_LIMIT } from "./queries";
import { ProviderLogo } from "@/components/provider-logos/provider-logo";

const KIND: Record<string, { label: string; tone: string }> = {
  key_unhealthy: { label: "Key stopped working", tone: "badge-bad" },
  key_still_unhealthy: { label: "Still not working", tone: "badge-bad" },
  key_degraded: { label: "Degraded", tone: "badge-warn" },
  key_still_degraded: { label: "Still degraded", tone: "badge-warn" },
  key_recovered: { label: "Recovered", tone: "badge-ok" },
  budget_warning: { label: "Budget 80% used", tone: "badge-warn" },
  budget_exceeded: { label: "Budget reached", tone: "badge-bad" },
  key_low_credit: { label: "Credit low", tone: "badge-warn" },
  key_credit_recovered: { label: "Credit recovered", tone: "badge-ok" },
};

/** The notifications page: every alert, newest first, unread ones marked, read one by one or all at once. */
export function NotificationsList({ initial }: { initial: NotificationPage }) {
  const qc = useQueryClient();
  const toast = useToast();
  const hydrated = useHydrated();
  const query = useInfiniteQuery({
    queryKey: [...notificationKeys.all(), "list"],
    queryFn: ({ pageParam }) => fetchNotifications(PAGE_LIMIT, pageParam ?? undefined),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.next_before,
    initialData: { pages: [initial], pageParams: [null] },
    staleTime: 15_000,
    refetchInterval: 30_000,
    refetchIntervalInBackground: false,
  });
  const invalidate = () => qc.invalidateQueries({ queryKey: notificationKeys.all() });
  const readAll = useMutation({ mutationFn: () => callAction(() => markAllNotificationsReadAction()), onSuccess: invalidate });
  const items = query.data?.pages.flatMap((p) => p.notifications) ?? [];
  const unread = query.data?.pages[0]?.unread_count ?? 0;

  return (
    <section aria-labelledby="notifications-title" className="notifications" data-hydrated={hydrated || undefined}>
      <div className="tab-head">
        <h1 id="notifications-title" tabIndex={-1}>
          Notifications
        </h1>
        <p className="muted" role="status">
          {unread === 0 ? "Nothing unread." : `${unread} unread.`}
        </p>
      </div>
      <div className="toolbar">
        <button
          type="button"
          className="btn-secondary"
          aria-disabled={readAll.isPending || unread === 0}
          onClick={() => !readAll.isPending && unread > 0 && readAll.mutate(undefined, { onSuccess: (d) => toast(`Marked ${d.marked} notification(s) read.`, "success") })}
        >
          {readAll.isPending ? "Marking…" : "Mark all read"}
        </button>
        {query.isFetching && <span className="muted small">Refreshing…</span>}
      </div>
      {readAll.isError && (
        <p role="alert" className="banner banner-bad">
          {explainFailure(readAll.error)}
        </p>
      )}
      {query.isError && (
        <p role="alert" className="banner banner-bad">
          Could not refresh: {query.error.message} Showing what was loaded before.
        </p>
      )}
      {items.length === 0 ? (
        <p className="empty">No notifications yet. You will be told here when a key stops working, stays degraded, or recovers.</p>
      ) : (
        <ul className="notification-list" aria-label="Notifications">
          {items.map((n) => (
            <NotificationItem key={n.id} n={n} onRead={invalidate} />
          ))}
        </ul>
      )}
      {query.hasNextPage && (
        <button type="button" className="btn-secondary" aria-disabled={query.isFetchingNextPage} onClick={() => !query.isFetchingNextPage && void query.fetchNextPage()}>
          {query.isFetchingNextPage ? "Loading…" : "Show older"}
        </button>
      )}
    </section>
  );
}

function NotificationItem({ n, onRead }: { n: Notification; onRead: () => void }) {
  const read = useMutation({ mutationFn: () => callAction(() => markNotificationReadAction(String(n.id))), onSuccess: onRead });
  const kind = KIND[n.kind] ?? { label: n.kind, tone: "badge-neutral" };
  return (
    <li>
      <article className={`card notification${n.read ? "" : " unread"}`} aria-label={`${n.read ? "" : "Unread: "}${n.message}`}>
        <div className="card-head">
          <div>
            <span className={`badge ${kind.tone}`}>{kind.label}</span> {!n.read && <span className="badge badge-info">New</span>}
            <p className="notification-message">{n.message}</p>
            <p className="muted small">
              <ProviderLogo type={n.provider_type} size="sm" /> {n.provider_name} · {n.trigger === "scheduled" ? "background check" : n.trigger === "save" ? "test on save" : "manual test"} · <RelativeTime iso={n.created_at} />
            </p>
          </div>
          {!n.read && (
            <button type="button" className="btn-secondary btn-small" aria-disabled={read.isPending} onClick={() => !read.isPending && read.mutate()}>
              {read.isPending ? "Marking…" : "Mark read"}
            </button>
          )}
        </div>
        {read.isError && (
          <p role="alert" className="error">
            {explainFailure(read.error)}
          </p>
        )}
      </article>
    </li>
  );
}
