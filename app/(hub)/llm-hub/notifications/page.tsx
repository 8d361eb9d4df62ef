import { redirect } from "next/navigation";
import { NotificationsList } from "@/components/notifications/notifications-list";
import { PAGE_LIMIT } from "@/components/notifications/queries";
import { NoAccess } from "@/components/shell/no-access";
import { currentPageUser } from "@/lib/api/current-user";
import { getNotifications } from "@/lib/notifications/service";

export const metadata = { title: "Notifications" };

const PATH = "/llm-hub/notifications";

export default async function NotificationsPage() {
  const user = await currentPageUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(PATH)}`);
  if (user.role !== "admin") return <NoAccess email={user.email} role={user.role} />;
  const initial = await getNotifications(user, { limit: PAGE_LIMIT, unread_only: "false" });
  return <NotificationsList initial={initial} />;
}
