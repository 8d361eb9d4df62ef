import type { WebhookView } from "./queries";

/** The one dialog the Webhooks tab shows at a time. */
export type WebhookDialog = { kind: "add" } | { kind: "secret"; name: string; secret: string } | { kind: "delete" | "rotate"; hook: WebhookView };
