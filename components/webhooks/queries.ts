import { queryOptions } from "@tanstack/react-query";
import { redirectToSignIn } from "@/components/client/sign-in-redirect";
import type { DeliveryView, WebhookView } from "@/lib/webhooks/serialize";

export type { DeliveryView, WebhookView };

export const webhookKeys = {
  all: () => ["webhooks"] as const,
  list: () => [...webhookKeys.all(), "list"] as const,
  deliveries: (id: string) => [...webhookKeys.all(), "deliveries", id] as const,
};

async function getJson<T>(path: string, what: string): Promise<T> {
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
  if (!res.ok || !body) throw new Error(body?.detail ?? `Could not load ${what} (HTTP ${res.status}).`);
  return body;
}

export const webhooksQuery = () =>
  queryOptions({
    queryKey: webhookKeys.list(),
    queryFn: () => getJson<{ webhooks: WebhookView[] }>("/api/v1/webhooks", "webhooks"),
    staleTime: 15_000,
    refetchInterval: 30_000,
    refetchIntervalInBackground: false,
  });

export const deliveriesQuery = (id: string) =>
  queryOptions({
    queryKey: webhookKeys.deliveries(id),
    queryFn: () => getJson<{ deliveries: DeliveryView[] }>(`/api/v1/webhooks/${id}/deliveries?limit=20`, "deliveries"),
    refetchInterval: 5_000,
    refetchIntervalInBackground: false,
  });
