import { AuditTab } from "@/components/audit/audit-tab";
import { NoAccess } from "@/components/shell/no-access";
import { pageUserOrSignIn } from "@/lib/api/current-user";

export const metadata = { title: "Audit" };

/** The Audit tab. Its filters live in the URL; the records are read in the browser, a page at a time. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await pageUserOrSignIn("/llm-hub/audit", searchParams);
  if (user.role !== "admin") return <NoAccess email={user.email} role={user.role} />;
  return <AuditTab />;
}
