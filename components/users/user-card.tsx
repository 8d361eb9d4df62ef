"use client";

import { useId, useState } from "react";
import { explainFailure } from "@/components/client/action-call";
import { RelativeTime } from "@/components/ui/relative-time";
import { useEndUserSessions, usePatchUser } from "./mutations";
import type { UserView } from "./queries";
import { SessionList } from "./session-list";
import type { UserDialog } from "./user-dialog";

/** One user: role and state, their live sessions, and what an admin can change. */
export function UserCard({ user, you, onDialog }: { user: UserView; you: boolean; onDialog: (d: UserDialog) => void }) {
  const [showSessions, setShowSessions] = useState(false);
  const patch = usePatchUser(user);
  const end = useEndUserSessions(user.id);
  const sessionsId = useId();
  const otherRole = user.role === "admin" ? "viewer" : "admin";
  return (
    <article className="card" aria-label={user.email}>
      <div className="card-head">
        <div>
          <h2 className="card-title">{user.email}</h2>
          {you && <span className="muted small"> (you)</span>}
        </div>
        <div className="badges">
          <span className={`badge ${user.role === "admin" ? "badge-neutral" : "badge-muted"}`}>{user.role === "admin" ? "Admin" : "Viewer"}</span>
          <span className={`badge ${user.disabled ? "badge-bad" : "badge-ok"}`}>{user.disabled ? "Disabled" : "Enabled"}</span>
          {user.must_change_password && <span className="badge badge-warn">One-time password</span>}
        </div>
      </div>
      <p className="muted small">
        {user.live_sessions ?? 0} live session{user.live_sessions === 1 ? "" : "s"}
        {user.last_seen_at && (
          <>
            {" "}
            · last seen <RelativeTime iso={user.last_seen_at} />
          </>
        )}{" "}
        · added <RelativeTime iso={user.created_at} />
      </p>
      <div className="card-actions">
        <button type="button" className="btn-secondary" aria-disabled={patch.isPending} onClick={() => !patch.isPending && patch.mutate({ role: otherRole })}>
          {patch.isPending && patch.variables.role ? "Saving…" : `Make ${otherRole}`}
        </button>
        <button type="button" className="btn-secondary" aria-disabled={patch.isPending} onClick={() => !patch.isPending && patch.mutate({ disabled: !user.disabled })}>
          {patch.isPending && patch.variables.disabled !== undefined ? "Saving…" : user.disabled ? "Enable" : "Disable"}
        </button>
        <button type="button" className="btn-secondary" onClick={() => onDialog({ kind: "reset", user })}>
          Reset password
        </button>
        <button type="button" className="btn-secondary" aria-expanded={showSessions} aria-controls={sessionsId} onClick={() => setShowSessions(!showSessions)}>
          {showSessions ? "Hide sessions" : "Sessions"}
        </button>
        <button type="button" className="btn-danger" onClick={() => onDialog({ kind: "delete", user })}>
          Delete
        </button>
      </div>
      <div role="status" className="card-status">
        {patch.isError && <p className="outcome-bad">{explainFailure(patch.error)}</p>}
        {patch.isSuccess && patch.data.sessions_ended && <p>Saved; the sessions of {user.email} have ended.</p>}
      </div>
      <div id={sessionsId}>{showSessions && <SessionList userId={user.id} label={`Sessions of ${user.email}`} end={end} />}</div>
    </article>
  );
}
