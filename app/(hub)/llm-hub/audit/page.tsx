import { redirect } from "next/navigation";
import { AuditTab } from "@/components/audit/audit-tab";
import { NoAccess } from "@/components/shell/no-access";
import { currentPageUser } from "@/lib/api/current-user";

export const metadata = { title: "Audit" };

const PATH = "/llm-hub/audit";

/** The Audit tab. Its filters live in the URL; the records are read in the browser, a page at a time. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await currentPageUser();
  if (!user) {
    const q = new URLSearchParams(Object.entries(await searchParams).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])));
    const back = q.size ? `${PATH}?${q}` : PATH;
    redirect(`/login?next=${encodeURIComponent(back)}`);
  }
  if (user.role !== "admin") return <NoAccess email={user.email} role={user.role} />;
  return <AuditTab />;
}
