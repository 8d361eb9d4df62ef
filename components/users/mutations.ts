import { useMutation, useQueryClient } from "@tanstack/react-query";
import { callAction } from "@/components/client/action-call";
import { changeOwnPasswordAction, endOwnSessionsAction } from "@/lib/actions/account";
import { createUserAction, deleteUserAction, endUserSessionsAction, patchUserAction, resetPasswordAction } from "@/lib/actions/users";
import { userKeys, type UserView } from "./queries";

/** One hook per action, each refetching users and sessions when it succeeds (like components/hub-keys/mutations.ts). */
function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: userKeys.all() });
}

export function useCreateUser() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (input: { email: string; role: "admin" | "viewer" }) => callAction(() => createUserAction(input)), onSuccess: invalidate });
}

export function usePatchUser(user: UserView) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (changes: { role?: "admin" | "viewer"; disabled?: boolean }) => callAction(() => patchUserAction(user.id, changes)), onSuccess: invalidate });
}

/** Delete, or reset the password (the answer then carries a one-time password, shown once). */
export function useDeleteOrResetUser(kind: "delete" | "reset", user: UserView) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async () => (kind === "delete" ? { password: null, ...(await callAction(() => deleteUserAction(user.id))) } : await callAction(() => resetPasswordAction(user.id))),
    onSuccess: invalidate,
  });
}

/** Signs out one session of a user, or all of them (no `session`). */
export function useEndUserSessions(userId: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (session?: string) => callAction(() => endUserSessionsAction(userId, session)), onSuccess: invalidate });
}

/** Signs out one of your sessions, or all but this one (no `session`). */
export function useEndOwnSessions() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (session?: string) => callAction(() => endOwnSessionsAction(session)), onSuccess: invalidate });
}

export function useChangeOwnPassword() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (input: { current_password: string; new_password: string }) => callAction(() => changeOwnPasswordAction(input)), onSuccess: invalidate });
}
