import type { HubKeyRow } from "./queries";

/** The create/edit form's fields as typed (strings), and what they become in the API's body. */
export interface HubKeyFormValues {
  name: string;
  owner: string;
  allowed: string;
  rpm: string;
  budget: string;
  /** `YYYY-MM-DD` (the key stops at 00:00 UTC that day), or "". */
  expires: string;
  /** What the key may be used for: `gateway`, `ingest` (lib/hub-keys/scopes.ts). */
  scopes: string[];
}

export const EMPTY_FORM: HubKeyFormValues = { name: "", owner: "", allowed: "", rpm: "", budget: "", expires: "", scopes: ["gateway"] };

/** The API's field names as the form labels them, so a server message reads in the form's words. */
export const FIELD_LABELS: Record<string, string> = {
  name: "Name",
  owner: "Owner",
  allowed: "Allowed models",
  rpm_limit: "Requests per minute",
  monthly_budget_usd: "Monthly budget",
  expires_at: "Expires on",
  scopes: "Use for",
};

/** "allowed.2: must …" → "Allowed models (pattern 3): must …": the label instead of the field name. */
export function labelled(detail: string): string {
  const m = /^(?:changes\.)?([a-z_]+)(?:\.(\d+))?: (.*)$/s.exec(detail);
  if (!m || !FIELD_LABELS[m[1]!]) return detail;
  const which = m[2] !== undefined ? ` (pattern ${Number(m[2]) + 1})` : "";
  return `${FIELD_LABELS[m[1]!]}${which}: ${m[3]}`;
}

export function valuesOf(row: HubKeyRow): HubKeyFormValues {
  return {
    name: row.name,
    owner: row.owner ?? "",
    allowed: row.allowed.join(", "),
    rpm: row.rpm_limit === null ? "" : String(row.rpm_limit),
    budget: row.monthly_budget_usd === null ? "" : String(row.monthly_budget_usd),
    expires: row.expires_at ? row.expires_at.slice(0, 10) : "",
    scopes: row.scopes,
  };
}

/** A number field: null when empty, the number when it is one, else the text (the server then names the problem). */
const numberOf = (s: string): number | string | null => (s.trim() === "" ? null : Number.isFinite(Number(s)) ? Number(s) : s);
const patternsOf = (s: string) => s.split(/[\s,]+/).filter(Boolean);
const expiryOf = (s: string) => (s ? `${s}T00:00:00Z` : null);
const sameScopes = (a: string[], b: string[]) => [...a].sort().join(",") === [...b].sort().join(",");

/** The POST body: empty optional fields are left out. */
export function createBody(v: HubKeyFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = { name: v.name, allowed: patternsOf(v.allowed) };
  if (v.owner.trim()) body.owner = v.owner;
  const rpm = numberOf(v.rpm);
  if (rpm !== null) body.rpm_limit = rpm;
  const budget = numberOf(v.budget);
  if (budget !== null) body.monthly_budget_usd = budget;
  if (v.expires) body.expires_at = expiryOf(v.expires);
  if (!sameScopes(v.scopes, EMPTY_FORM.scopes)) body.scopes = v.scopes;
  return body;
}

/** The PATCH body: only what changed from `before`; an emptied optional field is null (cleared). */
export function patchBody(before: HubKeyFormValues, v: HubKeyFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (v.name !== before.name) body.name = v.name;
  if (v.owner.trim() !== before.owner) body.owner = v.owner.trim() ? v.owner : null;
  if (patternsOf(v.allowed).join(",") !== patternsOf(before.allowed).join(",")) body.allowed = patternsOf(v.allowed);
  if (v.rpm.trim() !== before.rpm) body.rpm_limit = numberOf(v.rpm);
  if (v.budget.trim() !== before.budget) body.monthly_budget_usd = numberOf(v.budget);
  if (v.expires !== before.expires) body.expires_at = expiryOf(v.expires);
  if (!sameScopes(v.scopes, before.scopes)) body.scopes = v.scopes;
  return body;
}
