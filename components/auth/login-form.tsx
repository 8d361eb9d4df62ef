"use client";

import { useState } from "react";
import { useHydrated } from "@/components/client/use-hydrated";
import { signInTarget } from "@/lib/auth/sign-in-target";

/** Posts JSON to the sign-in endpoint, so the same rules (limits, audit) apply as for API clients. */
export function LoginForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Before hydration the browser would submit the form itself: method="post" keeps the password out
  // of the URL, and the disabled button (which also blocks submitting with Enter) keeps it from being
  // sent at all until the script above is in charge. Tests wait for data-hydrated.
  const hydrated = useHydrated();

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    try {
      const res = await fetch("/api/v1/auth/login", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: form.get("email"), password: form.get("password") }),
      });
      if (res.ok) {
        window.location.assign(signInTarget(next)); // the page checked it too; this is where it is used
        return;
      }
      const body = (await res.json().catch(() => null)) as { detail?: string } | null;
      setError(body?.detail ?? `Sign-in failed (HTTP ${res.status})`);
    } catch {
      setError("Could not reach the server. Check your connection and try again.");
    }
    setPending(false);
  }

  return (
    <form method="post" onSubmit={onSubmit} noValidate data-hydrated={hydrated || undefined}>
      <label htmlFor="email">Email</label>
      <input id="email" name="email" type="email" autoComplete="username" required autoFocus />
      <label htmlFor="password">Password</label>
      <input id="password" name="password" type="password" autoComplete="current-password" required />
      <p role="alert" aria-live="assertive" className="error">
        {error}
      </p>
      <button type="submit" disabled={pending || !hydrated}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
