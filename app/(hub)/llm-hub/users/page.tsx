import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { redirect } from "next/navigation";
import { NoAccess } from "@/components/shell/no-access";
import { usersQuery } from "@/components/users/queries";
import { UsersTab } from "@/components/users/users-tab";
import { currentPageUser } from "@/lib/api/current-user";
import { listUserViews } from "@/lib/users/service";

export const metadata = { title: "Users" };

const PATH = "/llm-hub/users";

export default async function UsersPage() {
  const user = await currentPageUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(PATH)}`);
  if (user.role !== "admin") return <NoAccess email={user.email} role={user.role} />;
  // Prefetch with the same service the GET route calls, so the first paint has the list.
  const queryClient = new QueryClient();
  await queryClient.prefetchQuery({ ...usersQuery(), queryFn: () => listUserViews(), retry: false });
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <UsersTab youId={user.id} />
    </HydrationBoundary>
  );
}
