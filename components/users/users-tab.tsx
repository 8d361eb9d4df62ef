"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useHydrated } from "@/components/client/use-hydrated";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { AddUserForm } from "./add-user-form";
import { ConfirmUser } from "./confirm-user";
import { PasswordOnce } from "./password-once";
import { usersQuery } from "./queries";
import { UserCard } from "./user-card";
import type { UserDialog } from "./user-dialog";
import "./users.css";

/**
 * The Users tab: who can sign in, with which role, and where they are signed in. Every change
 * ends the sessions it affects at once and is audited; the last enabled admin cannot be removed.
 */
export function UsersTab({ youId }: { youId: string }) {
  const query = useQuery(usersQuery());
  const [dialog, setDialog] = useState<UserDialog | null>(null);
  const hydrated = useHydrated();
  const users = query.data?.users;
  const close = () => setDialog(null);
  // a dialog's close event arrives after the next one opened (add -> password): close only its own
  const closeIf = (...kinds: UserDialog["kind"][]) => () => setDialog((d) => (d && kinds.includes(d.kind) ? null : d));
  const confirming = dialog?.kind === "delete" || dialog?.kind === "reset" ? dialog : null;
  return (
    <section aria-labelledby="users-title" className="users" data-hydrated={hydrated || undefined}>
      <div className="tab-head">
        <h1 id="users-title" tabIndex={-1}>
          Users
        </h1>
        <p className="muted">{users ? `${users.length} user${users.length === 1 ? "" : "s"}, ${users.filter((u) => u.role === "admin" && !u.disabled).length} enabled admin(s).` : "Who can sign in to the hub."}</p>
      </div>
      <div className="toolbar">
        <button type="button" id="add-user" className="btn-primary" onClick={() => setDialog({ kind: "add" })}>
          Add user
        </button>
        {query.isFetching && users && <span className="muted small">Refreshing…</span>}
      </div>
      {query.isError && (
        <p role="alert" className="banner banner-bad">
          {users ? `Could not refresh: ${query.error.message}` : `Could not load the users: ${query.error.message}`}
        </p>
      )}
      {!users ? (
        query.isError ? (
          <button type="button" className="btn-secondary retry" onClick={() => void query.refetch()}>
            Try again
          </button>
        ) : (
          <p className="muted">Loading users…</p>
        )
      ) : users.length === 0 ? (
        <p className="empty">No users yet.</p>
      ) : (
        <ul className="provider-list" aria-label="Users">
          {users.map((u) => (
            <li key={u.id}>
              <UserCard user={u} you={u.id === youId} onDialog={setDialog} />
            </li>
          ))}
        </ul>
      )}
      <ModalDialog open={dialog?.kind === "add"} onClose={closeIf("add")} title="Add a user" initialFocus="input">
        {dialog?.kind === "add" && <AddUserForm onCreated={(email, password) => setDialog({ kind: "password", email, password, reset: false })} onCancel={close} />}
      </ModalDialog>
      <ModalDialog open={dialog?.kind === "password"} onClose={closeIf("password")} title="One-time password" initialFocus="[data-initial-focus]" fallbackFocusId="add-user">
        {dialog?.kind === "password" && <PasswordOnce email={dialog.email} password={dialog.password} reset={dialog.reset} onDone={close} />}
      </ModalDialog>
      <ModalDialog open={!!confirming} onClose={closeIf("delete", "reset")} title={confirming ? (confirming.kind === "delete" ? `Delete ${confirming.user.email}?` : `Reset the password of ${confirming.user.email}?`) : ""} initialFocus="[data-initial-focus]" fallbackFocusId="add-user">
        {confirming && <ConfirmUser kind={confirming.kind} user={confirming.user} onCancel={close} onReset={(password) => setDialog({ kind: "password", email: confirming.user.email, password, reset: true })} />}
      </ModalDialog>
    </section>
  );
}
