import { useMutation, useMutationState, useQueryClient } from "@tanstack/react-query";
import { deleteProviderKeyAction } from "@/lib/actions/delete-provider-key";
import { patchProviderKeyAction } from "@/lib/actions/patch-provider-key";
import { saveProviderKeyAction } from "@/lib/actions/save-provider-key";
import { testProviderKeyAction } from "@/lib/actions/test-provider-key";
import type { PatchKeyInput, SaveKeyInput } from "@/lib/provider-keys/schemas";
import { type ActionData, callAction } from "@/components/client/action-call";
import { notificationKeys } from "@/components/notifications/queries";
import { providerKeyKeys, type ProviderRow } from "./queries";

export type SaveData = ActionData<typeof saveProviderKeyAction>;
export type TestData = ActionData<typeof testProviderKeyAction>;

/**
 * One hook per action. Each mutation instance has its own pending state (a row's test does not
 * wait for another's), and stays pending until the list has been refetched, so a row never shows
 * an old state after its spinner stops.
 */
function useInvalidate() {
  const qc = useQueryClient();
  // a test or save can raise an alert: the bell counts it at once instead of at its next poll
  return () => Promise.all([qc.invalidateQueries({ queryKey: providerKeyKeys.all() }), qc.invalidateQueries({ queryKey: notificationKeys.all() })]);
}

export function useTestKey(row: ProviderRow) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationKey: providerKeyKeys.mutation("test", row.id),
    mutationFn: () => callAction(() => testProviderKeyAction({ provider_type: row.provider_type, id: row.id, api_key: null })),
    onSuccess: invalidate,
  });
}

/** `rowId` is the row being replaced, or "new" for a new custom endpoint. */
export function useSaveKey(rowId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationKey: providerKeyKeys.mutation("save", rowId),
    mutationFn: (input: SaveKeyInput) => callAction(() => saveProviderKeyAction(input)),
    onSuccess: invalidate,
  });
}

export function usePatchKey(rowId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationKey: providerKeyKeys.mutation("patch", rowId),
    mutationFn: (changes: PatchKeyInput) => callAction(() => patchProviderKeyAction(rowId, changes)),
    onSuccess: invalidate,
  });
}

export function useDeleteKey(rowId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationKey: providerKeyKeys.mutation("delete", rowId),
    mutationFn: () => callAction(() => deleteProviderKeyAction(rowId)),
    onSuccess: invalidate,
  });
}

/** What is in flight for a row from a dialog (which may have been closed meanwhile). */
export function useRowActivity(rowId: string): { saving: boolean; deleting: boolean } {
  const kinds = useMutationState({
    filters: { status: "pending", predicate: (m) => m.options.mutationKey?.[2] === rowId },
    select: (m) => String(m.options.mutationKey?.[1]),
  });
  return { saving: kinds.includes("save") || kinds.includes("patch"), deleting: kinds.includes("delete") };
}
