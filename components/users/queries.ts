import { queryOptions } from "@tanstack/react-query";
import { getJson } from "@/components/client/get-json";
import type { SessionView, UserView } from "@/lib/users/serialize";

export type { SessionView, UserView };

export const userKeys = {
  all: () => ["users"] as const,
  list: () => [...userKeys.all(), "list"] as const,
  /** A user's sessions; `"me"`: the signed-in user's own ("Your account"). */
  sessions: (id: string) => [...userKeys.all(), "sessions", id] as const,
};

export const usersQuery = () =>
  queryOptions({
    queryKey: userKeys.list(),
    queryFn: () => getJson<{ total: number; users: UserView[] }>("/api/v1/users", "users"),
    staleTime: 15_000,
    refetchInterval: 30_000,
    refetchIntervalInBackground: false,
  });

type SessionList = { total: number; sessions: SessionView[] };

/** A user's live sessions, or (`"me"`) the signed-in user's own: /api/v1/users/me/sessions. */
export const sessionsQuery = (userId: string | "me") =>
  queryOptions({
    queryKey: userKeys.sessions(userId),
    queryFn: () => getJson<SessionList>(`/api/v1/users/${encodeURIComponent(userId)}/sessions`, userId === "me" ? "your sessions" : "sessions"),
    refetchInterval: 30_000,
    refetchIntervalInBackground: false,
  });
