"use client";

import { useState } from "react";
import { useHydrated } from "@/components/client/use-hydrated";
import { signOut } from "./sign-out";

/** For a signed-in user without the admin role: what happened, and what they can do about it. */
export function NoAccess({ email, role }: { email: string; role: string }) {
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();
  return (
    <section className="no-access" aria-labelledby="no-access-title" data-hydrated={hydrated || undefined}>
      <h1 id="no-access-title">You do not have access to the LLM Hub</h1>
      <p>
        You are signed in as <strong>{email}</strong> with the <strong>{role}</strong> role. Its keys can only be seen
        and changed by admins.
      </p>
      <p>Ask an admin to give your account the admin role, or sign in with an admin account.</p>
      <button
        type="button"
        disabled={pending}
        onClick={() => {
          setPending(true);
          void signOut();
        }}
      >
        {pending ? "Signing out…" : "Sign in with another account"}
      </button>
    </section>
  );
}
