/**
 * The Audit tab's filters as they live in the URL (`/llm-hub/audit?outcome=denied&action=provider_key.`),
 * so a filtered view can be shared and survives a reload. Anything malformed in the URL is dropped
 * rather than failing; the API checks what is sent.
 */
export const OUTCOMES = ["success", "failure", "denied"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface AuditView {
  /** An email, or its start: matched as a prefix. */
  actor: string;
  /** An action, or a family ending in `.` (`provider_key.`). */
  action: string;
  provider: string;
  outcome: Outcome | "";
  /** First and last UTC day, inclusive (YYYY-MM-DD), or "". */
  from: string;
  to: string;
}

export const EMPTY_VIEW: AuditView = { actor: "", action: "", provider: "", outcome: "", from: "", to: "" };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 3600 * 1000;
const text = (v: string | null) => (v ?? "").trim().slice(0, 320);

export function readView(p: URLSearchParams): AuditView {
  const outcome = p.get("outcome");
  const day = (k: string) => {
    const v = p.get(k);
    return v && DAY.test(v) ? v : "";
  };
  return {
    actor: text(p.get("actor")),
    action: text(p.get("action")),
    provider: text(p.get("provider")),
    outcome: OUTCOMES.find((o) => o === outcome) ?? "",
    from: day("from"),
    to: day("to"),
  };
}

const KEYS = ["actor", "action", "provider", "outcome", "from", "to"] as const;

/** The page URL's query for a view (empty filters left out). */
export function viewSearch(v: AuditView): string {
  const q = new URLSearchParams();
  for (const k of KEYS) if (v[k]) q.set(k, v[k]);
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** The API's filters for a view (list and CSV export alike): the actor as a prefix, the days as UTC instants. */
export function apiFilters(v: AuditView): URLSearchParams {
  const q = new URLSearchParams();
  if (v.actor) q.set("actor", v.actor.endsWith("*") ? v.actor : `${v.actor}*`);
  if (v.action) q.set("action", v.action);
  if (v.provider) q.set("provider", v.provider);
  if (v.outcome) q.set("outcome", v.outcome);
  if (v.from) q.set("from", `${v.from}T00:00:00.000Z`);
  if (v.to) q.set("to", new Date(Date.parse(`${v.to}T00:00:00Z`) + DAY_MS).toISOString());
  return q;
}

export const isFiltered = (v: AuditView) => KEYS.some((k) => v[k] !== "");
