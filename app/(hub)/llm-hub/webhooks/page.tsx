import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { redirect } from "next/navigation";
import { NoAccess } from "@/components/shell/no-access";
import { webhooksQuery } from "@/components/webhooks/queries";
import { WebhooksTab } from "@/components/webhooks/webhooks-tab";
import { currentPageUser } from "@/lib/api/current-user";
import { listWebhookViews } from "@/lib/webhooks/list";

export const metadata = { title: "Webhooks" };

const PATH = "/llm-hub/webhooks";

export default async function WebhooksPage() {
  const user = await currentPageUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(PATH)}`);
  if (user.role !== "admin") return <NoAccess email={user.email} role={user.role} />;
  const queryClient = new QueryClient();
  await queryClient.prefetchQuery({ ...webhooksQuery(), queryFn: () => listWebhookViews(), retry: false });
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <WebhooksTab />
    </HydrationBoundary>
  );
}
