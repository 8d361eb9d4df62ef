import { queryOptions } from "@tanstack/react-query";
import { redirectToSignIn } from "@/components/client/sign-in-redirect";
import type { NotificationRow } from "@/lib/db/queries/notifications";

export type Notification = NotificationRow;
export interface NotificationPage {
  notifications: Notification[];
  unread_count: number;
  next_before: number | null;
}

export const notificationKeys = {
  all: () => ["notifications"] as const,
  page: (limit: number) => [...notificationKeys.all(), "page", limit] as const,
};

/** Reads through the REST API like any client; a lost session goes to sign-in. */
export async function fetchNotifications(limit: number, before?: number): Promise<NotificationPage> {
  let res: Response;
  try {
    res = await fetch(`/api/v1/notifications?limit=${limit}${before ? `&before=${before}` : ""}`, { cache: "no-store", headers: { Accept: "application/json" } });
  } catch {
    throw new Error("Could not reach the server. Check your connection; notifications will refresh when it is back.");
  }
  if (res.status === 401) {
    redirectToSignIn();
    throw new Error("Your session has ended. Taking you to sign in…");
  }
  const body = (await res.json().catch(() => null)) as (NotificationPage & { detail?: string }) | null;
  if (!res.ok || !body) throw new Error(body?.detail ?? `Could not load notifications (HTTP ${res.status}).`);
  return body;
}

/** Polled every 30 s while the page is visible, so the bell counts new alerts without a reload. */
export const notificationsQuery = (limit: number) =>
  queryOptions({
    queryKey: notificationKeys.page(limit),
    queryFn: () => fetchNotifications(limit),
    staleTime: 15_000,
    refetchInterval: 30_000,
    refetchIntervalInBackground: false,
    retry: 1,
  });

export const BELL_LIMIT = 1;
export const PAGE_LIMIT = 50;
