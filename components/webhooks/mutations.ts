import { useMutation, useQueryClient } from "@tanstack/react-query";
import { callAction } from "@/components/client/action-call";
import { createWebhookAction, deleteWebhookAction, patchWebhookAction, rotateWebhookSecretAction, testWebhookAction } from "@/lib/actions/webhooks";
import { webhookKeys, type WebhookView } from "./queries";

/** One hook per action, each refetching the list when it succeeds (like components/provider-keys/mutations.ts). */
function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: webhookKeys.all() });
}

export function useTestWebhook(hook: WebhookView) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: () => callAction(() => testWebhookAction(hook.id)), onSuccess: invalidate });
}

export function useToggleWebhook(hook: WebhookView) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: () => callAction(() => patchWebhookAction(hook.id, { enabled: !hook.enabled })), onSuccess: invalidate });
}

export function useCreateWebhook() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (input: { name: string; url: string; kind: "generic" | "slack" }) => callAction(() => createWebhookAction(input)), onSuccess: invalidate });
}

/** Delete, or rotate the signing secret (the answer then carries the new one). */
export function useDeleteOrRotateWebhook(kind: "delete" | "rotate", hook: WebhookView) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async () => (kind === "delete" ? { secret: null, ...(await callAction(() => deleteWebhookAction(hook.id))) } : await callAction(() => rotateWebhookSecretAction(hook.id))),
    onSuccess: invalidate,
  });
}
