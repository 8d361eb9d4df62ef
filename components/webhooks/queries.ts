import { queryOptions } from "@tanstack/react-query";
import { getJson } from "@/components/client/get-json";
import type { DeliveryView, WebhookView } from "@/lib/webhooks/serialize";

export type { DeliveryView, WebhookView };

export const webhookKeys = {
  all: () => ["webhooks"] as const,
  list: () => [...webhookKeys.all(), "list"] as const,
  deliveries: (id: string) => [...webhookKeys.all(), "deliveries", id] as const,
};

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
