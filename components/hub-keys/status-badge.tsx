import type { HubKeyRow } from "./queries";

const LOOK = { active: ["badge-ok", "Active"], disabled: ["badge-muted", "Disabled"], expired: ["badge-warn", "Expired"] } as const;

/** What the gateway does with the key now: active, disabled or expired. */
export function StatusBadge({ status }: { status: HubKeyRow["status"] }) {
  const [cls, label] = LOOK[status];
  return (
    <span className={`badge ${cls}`}>
      <span className="sr-only">Status: </span>
      {label}
    </span>
  );
}
