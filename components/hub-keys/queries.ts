import { queryOptions } from "@tanstack/react-query";
import { getJson } from "@/components/client/get-json";
import type { HubKeyListView } from "@/lib/hub-keys/serialize";

export type HubKeyRow = HubKeyListView;

export const hubKeyKeys = {
  all: () => ["hub-keys"] as const,
  list: () => [...hubKeyKeys.all(), "list"] as const,
};

/** The list with this month's usage; refreshed every 30 s while the page is visible. */
export const hubKeysQuery = () =>
  queryOptions({
    queryKey: hubKeyKeys.list(),
    queryFn: () => getJson<{ total: number; hub_keys: HubKeyRow[] }>("/api/v1/llm/hub-keys", "hub keys"),
    staleTime: 15_000,
    refetchInterval: 30_000,
    refetchIntervalInBackground: false,
  });
