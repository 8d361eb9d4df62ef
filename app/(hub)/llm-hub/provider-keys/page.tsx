import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { redirect } from "next/navigation";
import { ProviderKeysTab } from "@/components/provider-keys/provider-keys-tab";
import { healthOverviewQuery, providerKeysQuery } from "@/components/provider-keys/queries";
import { NoAccess } from "@/components/shell/no-access";
import { currentPageUser } from "@/lib/api/current-user";
import { getHealthOverview } from "@/lib/key-health/overview";
import { envKeyFor } from "@/lib/key-checks/env-keys";
import { listProviderKeys } from "@/lib/provider-keys/list";
import { PROVIDER_TYPES, type ProviderType } from "@/lib/providers/catalogue";

export const metadata = { title: "Provider Keys" };

const PATH = "/llm-hub/provider-keys";

export default async function ProviderKeysPage() {
  const user = await currentPageUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(PATH)}`);
  if (user.role !== "admin") return <NoAccess email={user.email} role={user.role} />;

  // Prefetch with the same service the GET route calls, so the first paint has the list.
  const queryClient = new QueryClient();
  await Promise.all([
    queryClient.prefetchQuery({ ...providerKeysQuery(), queryFn: () => listProviderKeys(), retry: false }),
    queryClient.prefetchQuery({ ...healthOverviewQuery("24h"), queryFn: () => getHealthOverview("24h"), retry: false }),
  ]);
  // Whether each provider has an environment key to fall back on (a yes/no; never the key).
  const envFallback = Object.fromEntries(PROVIDER_TYPES.map((t) => [t, t !== "custom" && envKeyFor(t) !== null])) as Record<
    ProviderType,
    boolean
  >;

  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <ProviderKeysTab envFallback={envFallback} />
    </HydrationBoundary>
  );
}
