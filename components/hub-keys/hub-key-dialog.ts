import type { HubKeyRow } from "./queries";

/** The one dialog the Hub Keys tab shows at a time. `key` shows a new key once (after create or rotate). */
export type HubKeyDialog =
  | { kind: "create" }
  | { kind: "edit"; row: HubKeyRow }
  | { kind: "key"; name: string; key: string; allowed: string[]; rotated: boolean }
  | { kind: "delete" | "rotate"; row: HubKeyRow };
