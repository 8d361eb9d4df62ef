import type { UserView } from "./queries";

/** The one dialog the Users tab shows at a time. */
export type UserDialog = { kind: "add" } | { kind: "password"; email: string; password: string; reset: boolean } | { kind: "delete" | "reset"; user: UserView };
