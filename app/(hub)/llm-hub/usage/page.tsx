import { NoAccess } from "@/components/shell/no-access";
import { UsageTab } from "@/components/usage/usage-tab";
import { pageUserOrSignIn } from "@/lib/api/current-user";

export const metadata = { title: "Usage" };

/** The Usage tab. Its view lives in the URL; the data is read in the browser (one dashboard request). */
export default async function UsagePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await pageUserOrSignIn("/llm-hub/usage", searchParams);
  if (user.role !== "admin") return <NoAccess email={user.email} role={user.role} />;
  return <UsageTab />;
}
