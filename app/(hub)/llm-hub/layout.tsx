import { HubHeader } from "@/components/shell/hub-header";
import { QueryProvider } from "@/components/shell/query-provider";
import { currentPageUser } from "@/lib/api/current-user";

/** The LLM Hub shell. Each page checks access itself, because only the page knows its own path. */
export default async function HubLayout({ children }: { children: React.ReactNode }) {
  const user = await currentPageUser();
  return (
    <QueryProvider>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <HubHeader user={user} />
      <main id="main" className="hub-main" tabIndex={-1}>
        {children}
      </main>
    </QueryProvider>
  );
}
