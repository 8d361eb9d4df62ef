"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { BELL_LIMIT, notificationsQuery } from "@/components/notifications/queries";

/** The bell in the header: a link to the notifications page with the unread count. */
export function NotificationBell() {
  const { data } = useQuery(notificationsQuery(BELL_LIMIT));
  const pathname = usePathname();
  const unread = data?.unread_count ?? 0;
  const label = data === undefined ? "Notifications" : unread === 0 ? "Notifications, none unread" : `Notifications, ${unread} unread`;
  return (
    <Link href="/llm-hub/notifications" className="bell" aria-label={label} aria-current={pathname === "/llm-hub/notifications" ? "page" : undefined} title={label}>
      <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
        <path d="M13.73 21a2 2 0 0 1-3.46 0" />
      </svg>
      {unread > 0 && (
        <span className="bell-count" data-testid="unread-count">
          {unread > 99 ? "99+" : unread}
        </span>
      )}
    </Link>
  );
}
