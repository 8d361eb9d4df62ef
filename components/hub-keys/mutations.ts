import { useMutation, useQueryClient } from "@tanstack/react-query";
import { callAction } from "@/components/client/action-call";
import { createHubKeyAction, deleteHubKeyAction, patchHubKeyAction, rotateHubKeyAction } from "@/lib/actions/hub-keys";
import { hubKeyKeys, type HubKeyRow } from "./queries";

/** One hook per action, each refetching the list when it succeeds (like components/webhooks/mutations.ts). */
function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: hubKeyKeys.all() });
}

export function useCreateHubKey() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: Record<string, unknown>) => callAction(() => createHubKeyAction(body)), onSuccess: invalidate });
}

export function usePatchHubKey(row: HubKeyRow) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (changes: Record<string, unknown>) => callAction(() => patchHubKeyAction(row.id, changes)), onSuccess: invalidate });
}

/** Delete, or rotate (the answer then carries the new key, shown once). */
export function useDeleteOrRotateHubKey(kind: "delete" | "rotate", row: HubKeyRow) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async () => (kind === "delete" ? { key: null, ...(await callAction(() => deleteHubKeyAction(row.id))) } : await callAction(() => rotateHubKeyAction(row.id))),
    onSuccess: invalidate,
  });
}
