import { redirect } from "next/navigation";
import { AccountView } from "@/components/account/account-view";
import { currentPageUser } from "@/lib/api/current-user";
import { MIN_PASSWORD_LENGTH } from "@/lib/env";

export const metadata = { title: "Your account" };

const PATH = "/llm-hub/account";

/** Any signed-in user's own account: password and sessions. */
export default async function AccountPage() {
  const user = await currentPageUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(PATH)}`);
  return <AccountView email={user.email} minLength={MIN_PASSWORD_LENGTH} />;
}
