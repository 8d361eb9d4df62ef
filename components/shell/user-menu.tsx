"use client";

import Link from "next/link";
import { useState } from "react";
import { signOut } from "./sign-out";

/**
 * The account menu on the native popover API: the browser opens it from its button, closes it on
 * Escape or a click elsewhere, and puts its contents next in the tab order.
 */
export function UserMenu({ email, role }: { email: string; role: string }) {
  const [pending, setPending] = useState(false);
  return (
    <div className="user-menu">
      <button type="button" className="btn-secondary btn-small user-menu-button" popoverTarget="user-menu" aria-haspopup="true">
        <span className="sr-only">Account menu for </span>
        <span className="user-email">{email}</span>
      </button>
      <div id="user-menu" popover="auto" className="user-menu-panel">
        <p>
          Signed in as <strong>{email}</strong>
          <br />
          <span className="muted">Role: {role}</span>
        </p>
        <Link href="/llm-hub/account" className="user-menu-link">
          Your account
        </Link>
        <button
          type="button"
          className="btn-secondary"
          disabled={pending}
          onClick={() => {
            setPending(true);
            void signOut();
          }}
        >
          {pending ? "Signing out…" : "Sign out"}
        </button>
      </div>
    </div>
  );
}
