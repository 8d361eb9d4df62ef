import { infiniteQueryOptions } from "@tanstack/react-query";
import { getJson } from "@/components/client/get-json";
import type { AuditEventView } from "@/lib/audit/serialize";

export type { AuditEventView };

export interface AuditPage {
  events: AuditEventView[];
  next_before: number | null;
}

export const AUDIT_PAGE_SIZE = 50;

/** react-query keys of the audit log. */
export const auditKeys = {
  all: () => ["audit"] as const,
  pages: (filters: string) => [...auditKeys.all(), "pages", filters] as const,
};

/**
 * The filtered log, a page at a time (the next one when asked for). Never polled: every read is
 * itself an audit record, so the tab reads when someone looks, not on a timer.
 */
export const auditPagesQuery = (filters: string) =>
  infiniteQueryOptions({
    queryKey: auditKeys.pages(filters),
    queryFn: ({ pageParam }) => {
      const q = new URLSearchParams(filters);
      q.set("limit", String(AUDIT_PAGE_SIZE));
      if (pageParam !== null) q.set("before", String(pageParam));
      return getJson<AuditPage>(`/api/v1/audit?${q}`, "the audit log");
    },
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.next_before,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: 1,
  });
