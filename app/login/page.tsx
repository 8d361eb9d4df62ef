import { LoginForm } from "@/components/auth/login-form";

export const metadata = { title: "Sign in - LLM Hub" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  // only local paths: never bounce a signed-in user to another site
  const target = next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
  return (
    <main style={{ maxWidth: "24rem" }}>
      <h1>Sign in to LLM Hub</h1>
      <LoginForm next={target} />
    </main>
  );
}
