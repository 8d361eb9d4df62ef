import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { redirectToSignIn } from "@/components/client/sign-in-redirect";
import type { UsageDashboard } from "@/lib/usage/dashboard";

export type { UsageDashboard };

/** react-query keys of the usage API (the Usage tab, and the Provider Keys cards' 24 h figures). */
export const usageKeys = {
  all: () => ["usage"] as const,
  dashboard: (search: string) => [...usageKeys.all(), "dashboard", search] as const,
  perProviderKey: (from: string) => [...usageKeys.all(), "per-provider-key", from] as const,
};

export async function getUsageJson<T>(path: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { cache: "no-store", headers: { Accept: "application/json" } });
  } catch {
    throw new Error("Could not reach the server. Check your connection.");
  }
  if (res.status === 401) {
    redirectToSignIn();
    throw new Error("Your session has ended. Taking you to sign in…");
  }
  const body = (await res.json().catch(() => null)) as (T & { detail?: string }) | null;
  if (!res.ok || !body) throw new Error(body?.detail ?? `Could not load usage (HTTP ${res.status}).`);
  return body;
}

/** The Usage tab's one request; the previous view stays on screen while the next one loads. */
export const dashboardQuery = (search: string) =>
  queryOptions({
    queryKey: usageKeys.dashboard(search),
    queryFn: () => getUsageJson<UsageDashboard>(`/api/v1/llm/usage/dashboard?${search}`),
    staleTime: 30_000,
    refetchInterval: 60_000,
    refetchIntervalInBackground: false,
    placeholderData: keepPreviousData,
    // one quick retry: an outage is shown (with its own retry button) within a second or two
    retry: 1,
  });

export interface SeriesAnswer {
  series: { provider_key_id: string | null; points: { t: string; requests: number }[] }[];
}

/** Requests per hour and provider key over the last 24 hours, one request for every card. */
export const perProviderKeyQuery = (from: string) =>
  queryOptions({
    queryKey: usageKeys.perProviderKey(from),
    queryFn: () => getUsageJson<SeriesAnswer>(`/api/v1/llm/usage/timeseries?interval=hour&group_by=provider_key&from=${encodeURIComponent(from)}`),
    staleTime: 60_000,
    refetchInterval: 120_000,
    refetchIntervalInBackground: false,
    placeholderData: keepPreviousData,
  });
