import { isProviderType, PROVIDERS, type ProviderType } from "@/lib/providers/catalogue";
import type { OldColumn, OldRow } from "./ops-center-table";
import { slugFor } from "./rows";
import { nameSchema } from "./schemas";

/** Where a row of Ops Center's table goes, decided from the row alone (no decryption, no database). */
export type PlannedRow =
  | { kind: "skip"; oldId: string; name: string; oldType: string; reason: string }
  | { kind: "fail"; oldId: string; name: string; oldType: string; reason: string }
  | {
      kind: "import";
      oldId: string;
      name: string;
      oldType: string;
      type: ProviderType;
      slug: string;
      /** The Fernet token, made with Ops Center's BYOK_ENCRYPTION_KEY. */
      token: string;
      /** Custom endpoints only. */
      baseUrl: string | null;
      /** Only when the old table has a priority column. */
      priority?: number;
      enabled: boolean;
      notes: string[];
    };

const PRIORITY_MIN = -1000;
const PRIORITY_MAX = 1000;

const text = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);
const first = (row: OldRow, cols: (keyof OldRow)[]) => cols.map((c) => text(row[c])).find((v) => v !== null) ?? null;

/** One line for the output: which columns hold what in this version of the table. */
export function describeLayout(columns: OldColumn[]): string {
  const has = (c: OldColumn) => columns.includes(c);
  const pick = (cs: OldColumn[]) => cs.filter(has).map((c) => (c === "config" ? "config.base_url" : c));
  const parts = [
    `key from ${pick(["api_key_encrypted", "encrypted_api_key"]).join(", then ")}`,
    `name from ${pick(["name", "display_name", "provider_name"]).join(", then ") || "(none)"}`,
    `type from ${pick(["type", "provider_type", "provider_slug"]).join(", then ") || "(none)"}`,
    `base URL from ${pick(["api_base_url", "config", "base_url"]).join(", then ") || "(none)"}`,
    has("priority") ? "priority" : "no priority",
    `enabled from ${pick(["enabled", "is_active"]).join(" and ") || "(always enabled)"}`,
  ];
  return parts.join("; ");
}

/**
 * Decides, row by row, what the import does. Rows are taken highest priority first (the order in
 * which Ops Center used them), so when several rows land on one LLM Hub row (two OpenAI keys: LLM
 * Hub keeps one per built-in provider) the one Ops Center preferred wins and the others are skipped.
 */
export function planImport(rows: OldRow[], columns: OldColumn[]): PlannedRow[] {
  const sorted = [...rows].sort(
    (a, b) =>
      num(b.priority) - num(a.priority) ||
      (first(a, ["name", "display_name", "provider_name"]) ?? "").localeCompare(first(b, ["name", "display_name", "provider_name"]) ?? "") ||
      a.id.localeCompare(b.id),
  );
  const claimed = new Map<string, string>();
  return sorted.map((row) => {
    const planned = planRow(row, columns);
    if (planned.kind !== "import") return planned;
    const holder = claimed.get(planned.slug);
    if (holder !== undefined) {
      const why = planned.type === "custom" ? "custom endpoint names are unique, ignoring case" : `LLM Hub keeps one key per built-in provider`;
      return { ...base(planned), kind: "skip", reason: `row "${holder}" already goes to LLM Hub's ${planned.slug} row (rows are taken highest priority first): ${why}` };
    }
    claimed.set(planned.slug, planned.name);
    return planned;
  });
}

const num = (v: unknown) => (typeof v === "number" ? v : Number.NEGATIVE_INFINITY);
const base = (p: { oldId: string; name: string; oldType: string }) => ({ oldId: p.oldId, name: p.name, oldType: p.oldType });

function planRow(row: OldRow, columns: OldColumn[]): PlannedRow {
  const rawName = first(row, ["name", "display_name", "provider_name"]);
  const oldType = (first(row, ["type", "provider_type", "provider_slug"]) ?? "").toLowerCase();
  const who = { oldId: row.id, name: rawName ?? `(row ${row.id})`, oldType };
  const skip = (reason: string): PlannedRow => ({ ...who, kind: "skip", reason });
  const fail = (reason: string): PlannedRow => ({ ...who, kind: "fail", reason });
  const notes: string[] = [];

  // Ops Center's own code reads api_key_encrypted; encrypted_api_key (migration 002) is the key only
  // where api_key_encrypted does not exist, or holds nothing while the row says its key is in the
  // database. Ops Center's delete empties api_key_encrypted and sets api_key_source to 'environment':
  // a key left in encrypted_api_key then was removed, and is not brought back.
  let token = text(row.api_key_encrypted);
  if (!token && text(row.encrypted_api_key)) {
    if (columns.includes("api_key_encrypted") && text(row.api_key_source) === "environment") {
      return skip("no key in api_key_encrypted (the key in encrypted_api_key was removed in Ops Center: api_key_source is 'environment')");
    }
    token = text(row.encrypted_api_key);
    if (columns.includes("api_key_encrypted")) notes.push("key taken from encrypted_api_key");
  }
  if (!token) return skip("no key stored");

  const baseUrl = first(row, ["api_base_url", "config_base_url", "base_url"]);
  let type: ProviderType;
  if (isProviderType(oldType)) type = oldType;
  else if (!oldType) return skip("the row has no provider type");
  else if (baseUrl) {
    type = "custom";
    notes.push(`old type '${oldType}' imported as a custom (OpenAI-compatible) endpoint`);
  } else return skip(`type '${oldType}' has no LLM Hub equivalent, and the row has no base URL to make it a custom endpoint`);

  if (type === "custom" && !baseUrl) return skip("custom endpoint without a base URL");
  if (type !== "custom" && baseUrl && !sameHost(baseUrl, PROVIDERS[type].defaultBaseUrl)) {
    notes.push(`its base URL (${originOf(baseUrl)}) is not kept: built-in providers take PROVIDER_BASE_URL_${type.toUpperCase()}`);
  }

  const name = nameSchema.safeParse(rawName ?? "");
  if (!name.success) return fail(`name: ${name.error.issues[0]?.message ?? "invalid"}`);

  let priority: number | undefined;
  if (columns.includes("priority")) {
    priority = typeof row.priority === "number" ? row.priority : 0;
    const clamped = Math.min(PRIORITY_MAX, Math.max(PRIORITY_MIN, priority));
    if (clamped !== priority) notes.push(`priority ${priority} clamped to ${clamped}`);
    priority = clamped;
  }
  // a NULL flag is not true: Ops Center's routing selected `where enabled = true`
  const enabled = (!columns.includes("enabled") || row.enabled === true) && (!columns.includes("is_active") || row.is_active === true);

  return {
    ...who,
    kind: "import",
    name: name.data,
    type,
    slug: slugFor(type, name.data),
    token,
    baseUrl: type === "custom" ? baseUrl : null,
    priority,
    enabled,
    notes,
  };
}

function sameHost(url: string, other: string | null): boolean {
  try {
    return !!other && new URL(url).hostname === new URL(other).hostname;
  } catch {
    return false;
  }
}

/** Scheme and host only: a base URL may carry credentials or tokens, which never reach the output. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "not a valid URL";
  }
}
