import { redirect } from "next/navigation";
import { NoAccess } from "@/components/shell/no-access";
import { UsageTab } from "@/components/usage/usage-tab";
import { currentPageUser } from "@/lib/api/current-user";

export const metadata = { title: "Usage" };

const PATH = "/llm-hub/usage";

/** The Usage tab. Its view lives in the URL; the data is read in the browser (one dashboard request). */
export default async function UsagePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await currentPageUser();
  if (!user) {
    const q = new URLSearchParams(Object.entries(await searchParams).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])));
    const back = q.size ? `${PATH}?${q}` : PATH;
    redirect(`/login?next=${encodeURIComponent(back)}`);
  }
  if (user.role !== "admin") return <NoAccess email={user.email} role={user.role} />;
  return <UsageTab />;
}
