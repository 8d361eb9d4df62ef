import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { currentPageUser } from "@/lib/api/current-user";
import { signInTarget } from "@/lib/auth/sign-in-target";

export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  // only paths of this app: never bounce a signed-in user to another site
  const target = signInTarget(typeof next === "string" ? next : undefined);
  if (await currentPageUser()) redirect(target);
  return (
    <main className="login">
      <h1>Sign in to LLM Hub</h1>
      {target !== "/" && <p className="muted">Sign in to continue to the page you asked for.</p>}
      <LoginForm next={target} />
    </main>
  );
}
