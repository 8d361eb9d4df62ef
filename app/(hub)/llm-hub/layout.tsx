import { PasswordChangeRequired } from "@/components/account/password-change-required";
import { HubHeader } from "@/components/shell/hub-header";
import { QueryProvider } from "@/components/shell/query-provider";
import { currentPageUser } from "@/lib/api/current-user";
import { MIN_PASSWORD_LENGTH } from "@/lib/env";

/**
 * The LLM Hub shell. Each page checks access itself, because only the page knows its own path; a
 * user with a one-time password sees only the form to replace it, whatever the page.
 */
export default async function HubLayout({ children }: { children: React.ReactNode }) {
  const user = await currentPageUser();
  return (
    <QueryProvider>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <HubHeader user={user} />
      <main id="main" className="hub-main" tabIndex={-1}>
        {user?.mustChangePassword ? <PasswordChangeRequired email={user.email} minLength={MIN_PASSWORD_LENGTH} /> : children}
      </main>
    </QueryProvider>
  );
}
