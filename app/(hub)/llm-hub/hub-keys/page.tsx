import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { redirect } from "next/navigation";
import { HubKeysTab } from "@/components/hub-keys/hub-keys-tab";
import { hubKeysQuery } from "@/components/hub-keys/queries";
import { NoAccess } from "@/components/shell/no-access";
import { currentPageUser } from "@/lib/api/current-user";
import { listHubKeyViews } from "@/lib/hub-keys/service";

export const metadata = { title: "Hub Keys" };

const PATH = "/llm-hub/hub-keys";

export default async function HubKeysPage() {
  const user = await currentPageUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(PATH)}`);
  if (user.role !== "admin") return <NoAccess email={user.email} role={user.role} />;
  // Prefetch with the same service the GET route calls, so the first paint has the list.
  const queryClient = new QueryClient();
  await queryClient.prefetchQuery({ ...hubKeysQuery(), queryFn: () => listHubKeyViews(), retry: false });
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <HubKeysTab />
    </HydrationBoundary>
  );
}
