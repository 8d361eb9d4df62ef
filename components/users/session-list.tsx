"use client";

import { useQuery, type UseMutationResult } from "@tanstack/react-query";
import { explainFailure } from "@/components/client/action-call";
import { RelativeTime } from "@/components/ui/relative-time";
import type { SessionView } from "./queries";
import { sessionsQuery } from "./queries";

type EndSessions = UseMutationResult<{ ended: number; message: string }, Error, string | undefined>;

/**
 * Live sessions with "Sign out this session" on each and a "sign out everywhere" for all: an
 * admin's view of one user (`userId`), or the signed-in user's own (no `userId`; their current
 * session is marked and kept).
 */
export function SessionList({ userId, label, end }: { userId?: string; label: string; end: EndSessions }) {
  const query = useQuery(sessionsQuery(userId ?? "me"));
  const sessions = query.data?.sessions;
  const others = sessions?.filter((s) => !s.current).length ?? 0;
  const everywhere = userId ? "Sign out everywhere" : "Sign out all other sessions";
  return (
    <div className="session-list">
      {query.isError && (
        <p role="alert" className="banner banner-bad">
          Could not load the sessions: {query.error.message}
        </p>
      )}
      {!sessions ? (
        !query.isError && <p className="muted">Loading sessions…</p>
      ) : sessions.length === 0 ? (
        <p className="muted">No live sessions: signed out everywhere.</p>
      ) : (
        <ul aria-label={label} className="sessions">
          {sessions.map((s) => (
            <li key={s.id} aria-label={s.current ? "This session" : `Session from ${s.ip ?? "an unknown address"}`}>
              <SessionFacts s={s} />
              {s.current ? (
                <span className="badge badge-ok">This session</span>
              ) : (
                <button type="button" className="btn-secondary btn-small" aria-disabled={end.isPending} onClick={() => !end.isPending && end.mutate(s.id)}>
                  {end.isPending && end.variables === s.id ? "Signing out…" : "Sign out this session"}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {(userId ? (sessions?.length ?? 0) > 0 : others > 0) && (
        <button type="button" className="btn-danger" aria-disabled={end.isPending} onClick={() => !end.isPending && end.mutate(undefined)}>
          {end.isPending && end.variables === undefined ? "Signing out…" : everywhere}
        </button>
      )}
      <div role="status" className="card-status">
        {end.isSuccess && <p>{end.data.message}</p>}
        {end.isError && <p className="outcome-bad">{explainFailure(end.error)}</p>}
      </div>
    </div>
  );
}

function SessionFacts({ s }: { s: SessionView }) {
  return (
    <dl className="facts">
      <div>
        <dt>Signed in</dt>
        <dd>
          <RelativeTime iso={s.created_at} />
        </dd>
      </div>
      <div>
        <dt>Last seen</dt>
        <dd>
          <RelativeTime iso={s.last_seen_at} />
        </dd>
      </div>
      <div>
        <dt>Address</dt>
        <dd>{s.ip ?? "unknown"}</dd>
      </div>
      <div className="fact-wide">
        <dt>Browser</dt>
        <dd className="user-agent">{s.user_agent ?? "unknown"}</dd>
      </div>
    </dl>
  );
}
