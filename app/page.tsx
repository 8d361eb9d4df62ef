import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user";

export default async function Home() {
  const user = await currentUser(await cookies());
  if (!user) redirect("/login?next=/");
  return (
    <main>
      <h1>LLM Hub</h1>
      <p>
        Signed in as <strong>{user.email}</strong> ({user.role}).
      </p>
      <p className="muted">
        The Provider Keys API is at <code>/api/v1/llm/providers/keys</code>; see the README for curl examples.
      </p>
    </main>
  );
}
