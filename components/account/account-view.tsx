"use client";

import { useHydrated } from "@/components/client/use-hydrated";
import { useEndOwnSessions } from "@/components/users/mutations";
import { SessionList } from "@/components/users/session-list";
import { ChangePasswordForm } from "./change-password-form";
import "@/components/users/users.css";
import "./account.css";

/** "Your account": change your password, and see and end your own sessions. */
export function AccountView({ email, minLength }: { email: string; minLength: number }) {
  const end = useEndOwnSessions();
  const hydrated = useHydrated();
  return (
    <section aria-labelledby="account-title" className="account" data-hydrated={hydrated || undefined}>
      <div className="tab-head">
        <h1 id="account-title" tabIndex={-1}>
          Your account
        </h1>
        <p className="muted">Signed in as {email}.</p>
      </div>
      <section aria-labelledby="password-title" className="card">
        <h2 id="password-title" className="card-title">
          Password
        </h2>
        <ChangePasswordForm minLength={minLength} />
      </section>
      <section aria-labelledby="sessions-title" className="card">
        <h2 id="sessions-title" className="card-title">
          Your sessions
        </h2>
        <SessionList label="Your sessions" end={end} />
      </section>
    </section>
  );
}
