import { queryOptions } from "@tanstack/react-query";
import type { ProviderKeyView } from "@/lib/provider-keys/serialize";
import { redirectToSignIn } from "@/components/client/sign-in-redirect";

export type ProviderRow = ProviderKeyView;
export interface ProviderKeyList {
  success: true;
  total: number;
  providers: ProviderRow[];
}

/** Query keys for provider keys: invalidate `all()` after any change. */
export const providerKeyKeys = {
  all: () => ["provider-keys"] as const,
  list: () => [...providerKeyKeys.all(), "list"] as const,
  /** Mutation keys, so a row can show what is in flight for it wherever it was started. */
  mutation: (kind: "save" | "test" | "patch" | "delete", rowId: string) => [...providerKeyKeys.all(), kind, rowId] as const,
};

/** Thrown for failed reads; `status` lets the UI tell an outage from a lost permission. */
export class ListError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Reads the masked list through the REST API, as any other client would. */
export async function fetchProviderKeys(): Promise<ProviderKeyList> {
  let res: Response;
  try {
    res = await fetch("/api/v1/llm/providers/keys", { cache: "no-store", headers: { Accept: "application/json" } });
  } catch {
    throw new ListError("Could not reach the server. Check your connection; the list will refresh when it is back.", 0);
  }
  if (res.status === 401) {
    redirectToSignIn();
    throw new ListError("Your session has ended. Taking you to sign in…", 401);
  }
  const body = (await res.json().catch(() => null)) as (ProviderKeyList & { detail?: string }) | null;
  if (!res.ok || !body) throw new ListError(body?.detail ?? `Could not load the provider list (HTTP ${res.status}).`, res.status);
  return body;
}

/**
 * The list query, shared by the server prefetch (which overrides `queryFn` with the service call)
 * and the client. Hydrated data stays fresh for 30 s, so the first paint is never refetched at once;
 * after that it is refetched every 30 s while the page is visible, so health badges stay current.
 */
export const providerKeysQuery = () =>
  queryOptions({
    queryKey: providerKeyKeys.list(),
    queryFn: fetchProviderKeys,
    staleTime: 30_000,
    // background checks change health without anyone clicking: poll while the tab is visible
    refetchInterval: 30_000,
    refetchIntervalInBackground: false,
    retry: (count, err) => !(err instanceof ListError && [401, 403].includes(err.status)) && count < 2,
  });

export interface KeyHealthOverview {
  provider_id: string;
  checks: number;
  uptime_pct: number | null;
  buckets: { healthy: number; degraded: number; unhealthy: number }[];
  last_failure: { checked_at: string; outcome: string; error_code: string | null; status_code: number | null } | null;
}
export interface HealthOverview {
  window: "24h" | "7d";
  since: string;
  until: string;
  bucket_seconds: number;
  keys: KeyHealthOverview[];
}

async function fetchHealthOverview(window: "24h" | "7d"): Promise<HealthOverview> {
  const res = await fetch(`/api/v1/llm/providers/health/overview?window=${window}`, { cache: "no-store", headers: { Accept: "application/json" } }).catch(() => null);
  if (!res) throw new ListError("Could not reach the server for the health history.", 0);
  if (res.status === 401) {
    redirectToSignIn();
    throw new ListError("Your session has ended. Taking you to sign in…", 401);
  }
  const body = (await res.json().catch(() => null)) as (HealthOverview & { detail?: string }) | null;
  if (!res.ok || !body) throw new ListError(body?.detail ?? `Could not load the health history (HTTP ${res.status}).`, res.status);
  return body;
}

/** The uptime bars: refreshed with the list (every 30 s while visible) and after every test or save. */
export const healthOverviewQuery = (window: "24h" | "7d") =>
  queryOptions({
    queryKey: [...providerKeyKeys.all(), "health-overview", window] as const,
    queryFn: () => fetchHealthOverview(window),
    staleTime: 15_000,
    refetchInterval: 30_000,
    refetchIntervalInBackground: false,
    placeholderData: (prev) => prev,
  });
