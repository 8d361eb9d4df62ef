import "server-only";
import { configChanged } from "@/lib/config-version/version";
import { auditEventOf } from "@/lib/audit/record";
import { getKeyring } from "@/lib/config/secrets";
import { createKeyring, type Keyring } from "@/lib/crypto/keyring";
import { getProviderKeyBySlug, upsertProviderKeyBySlug } from "@/lib/db/queries/provider-keys";
import type { ProviderKey } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { recordKeyCheck } from "@/lib/key-checks/record";
import type { ProviderType } from "@/lib/providers/catalogue";
import { healthOf, type HealthStatus } from "@/lib/providers/health-status";
import type { KeyTestResult } from "@/lib/providers/types";
import { checkCustomBaseUrl } from "./base-url";
import { runKeyTest } from "@/lib/key-checks/run";
import { describeLayout, planImport, type PlannedRow } from "./ops-center-plan";
import { readOpsCenterProviders } from "./ops-center-table";
import { apiKeySchema } from "./schemas";
import { sealKey } from "./seal";

export type ImportOutcome = "imported" | "replaced" | "would import" | "would replace" | "unchanged" | "skipped" | "failed";

export interface ImportLine {
  done: number;
  total: number;
  outcome: ImportOutcome;
  name: string;
  oldType: string;
  type: ProviderType | null;
  /** Why a row was skipped or failed. */
  reason: string | null;
  notes: string[];
  /** With `test`: the key test of the key now in LLM Hub (or, in a dry run, of the key that would be). */
  test: KeyTestResult | null;
}

export interface ImportStart {
  where: string;
  layout: string;
  /** keyIdOf the old key: names it in the output without revealing it. */
  oldKeyId: string;
  rows: number;
}

export interface ImportSummary {
  counts: Record<ImportOutcome, number>;
  tested: Record<HealthStatus, number>;
}

export interface ImportOptions {
  /** postgres:// URL of Ops Center's database. */
  from: string;
  /** Ops Center's BYOK_ENCRYPTION_KEY, from {@link openOldKeyring}. */
  oldKey: Keyring;
  dryRun: boolean;
  /** Overwrite a different key LLM Hub already holds for the same row (else that row is skipped). */
  replace: boolean;
  /** Test each key brought over, and record the result as a check. */
  test: boolean;
  onStart?: (s: ImportStart) => void;
  onRow?: (line: ImportLine) => void;
}

/** Ops Center's encryption key, checked before anything is opened. */
export function openOldKeyring(key: string): Keyring {
  try {
    return createKeyring([key]);
  } catch {
    throw new Error("the old encryption key is not a Fernet key (32 bytes, url-safe base64, as Ops Center's BYOK_ENCRYPTION_KEY is)");
  }
}

/** Who the audit records name: a command-line import has no signed-in user. */
const ACTOR = "cli";

/**
 * Brings the keys stored by Ops Center (the Python service LLM Hub replaces) into LLM Hub: reads its
 * `llm_providers` (read-only), decrypts each key with its old encryption key, and stores it the way a
 * save does (encrypted under LLM Hub's key, with preview, fingerprint and an audit record), without
 * testing it unless asked. A row that already holds the same key is left as it is, so a second run
 * writes nothing.
 */
export async function importFromOpsCenter(opts: ImportOptions): Promise<ImportSummary> {
  const old = opts.oldKey;
  getKeyring(); // LLM Hub's own key: a configuration error stops the import before it reads anything
  const table = await readOpsCenterProviders(opts.from);
  const plan = planImport(table.rows, table.columns);
  opts.onStart?.({ where: table.where, layout: describeLayout(table.columns), oldKeyId: old.primaryKeyId, rows: plan.length });

  const summary: ImportSummary = {
    counts: { imported: 0, replaced: 0, "would import": 0, "would replace": 0, unchanged: 0, skipped: 0, failed: 0 },
    tested: { healthy: 0, degraded: 0, unhealthy: 0, unknown: 0 },
  };
  let done = 0;
  for (const p of plan) {
    const line = { done: ++done, total: plan.length, ...(await importRow(p, old, opts)) };
    summary.counts[line.outcome]++;
    if (line.test) summary.tested[healthOf(line.test)]++;
    opts.onRow?.(line);
  }
  return summary;
}

type RowResult = Omit<ImportLine, "done" | "total">;

async function importRow(p: PlannedRow, old: Keyring, opts: ImportOptions): Promise<RowResult> {
  const who = { name: p.name, oldType: p.oldType, type: p.kind === "import" ? p.type : null, notes: p.kind === "import" ? [...p.notes] : [], test: null };
  const failed = (reason: string): RowResult => ({ ...who, outcome: "failed", reason });
  if (p.kind === "skip") return { ...who, outcome: "skipped", reason: p.reason };
  if (p.kind === "fail") return failed(p.reason);

  let decrypted: string;
  try {
    decrypted = old.decrypt(p.token);
  } catch {
    return failed(
      p.token.startsWith("gAAAAA")
        ? `cannot be decrypted with the old key (id ${old.primaryKeyId}): is it the BYOK_ENCRYPTION_KEY this Ops Center ran with?`
        : "the stored value is not a Fernet token",
    );
  }
  const parsed = apiKeySchema.safeParse(decrypted);
  if (!parsed.success) return failed(`the decrypted key ${parsed.error.issues[0]?.message ?? "is not a valid key"}`);
  const key = parsed.data;
  if (p.baseUrl) {
    try {
      await checkCustomBaseUrl(p.baseUrl);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return failed(`base URL refused (PROVIDER_URL_POLICY=${getEnv().PROVIDER_URL_POLICY}): ${err.detail.replace(/^config\.base_url: /, "")}`);
    }
  }

  const fingerprint = getKeyring().fingerprint(key);
  const existing = await getProviderKeyBySlug(p.slug);
  let id: string;
  let outcome: ImportOutcome;
  if (existing && holdsKey(existing, key, fingerprint)) {
    id = existing.id;
    outcome = "unchanged";
  } else if (existing?.encryptedKey && !opts.replace) {
    return { ...who, outcome: "skipped", reason: "LLM Hub already holds a different key for this row (--replace overwrites it)" };
  } else if (opts.dryRun) {
    return { ...who, outcome: existing?.encryptedKey ? "would replace" : "would import", reason: null, test: opts.test ? await runKeyTest(p.type, key, p.baseUrl) : null };
  } else {
    const stored = await store(p, key);
    id = stored.id;
    outcome = stored.created ? "imported" : "replaced";
    if (stored.duplicates.length) who.notes.push(`the same key is also stored for: ${stored.duplicates.join(", ")}`);
  }

  if (!opts.test) return { ...who, outcome, reason: null };
  const result = await runKeyTest(p.type, key, p.baseUrl);
  if (!opts.dryRun) {
    const audit = auditEventOf({
      action: "provider_key.test",
      outcome: result.success ? "success" : "failure",
      actorEmail: ACTOR,
      target: id,
      providerType: p.type,
      keyFingerprint: fingerprint,
      detail: { source: "database", via: "import:ops-center", error_code: result.error_code, status_code: result.status_code },
    });
    await recordKeyCheck({ id, fingerprint, trigger: outcome === "unchanged" ? "manual" : "save", result, audit });
  }
  return { ...who, outcome, reason: null, test: result };
}

/** Whether the row holds this key already (by fingerprint, or by its plaintext if the fingerprint predates a rotation). */
function holdsKey(row: ProviderKey, key: string, fingerprint: string): boolean {
  if (!row.encryptedKey) return false;
  if (row.keyFingerprint === fingerprint) return true;
  try {
    return getKeyring().decrypt(row.encryptedKey, row.encryptionKeyId) === key;
  } catch {
    return false;
  }
}

/** The save's storage path, untested: the row's earlier test results belonged to another key. */
async function store(p: Extract<PlannedRow, { kind: "import" }>, key: string) {
  const secret = sealKey(key);
  const untested = { healthStatus: "unknown" as const, testStatus: null, lastTested: null, lastTest: null };
  const fields = { name: p.name, enabled: p.enabled, config: p.baseUrl ? { base_url: p.baseUrl } : {}, updatedBy: ACTOR, ...(p.priority !== undefined ? { priority: p.priority } : {}) };
  const event = (result: "added" | "replaced") =>
    auditEventOf({
      action: "provider_key.import",
      outcome: "success",
      actorEmail: ACTOR,
      providerType: p.type,
      keyFingerprint: secret.keyFingerprint,
      detail: { source: "ops-center", old_id: p.oldId, old_type: p.oldType, result },
    });
  const { row, created, duplicates } = await upsertProviderKeyBySlug(
    { slug: p.slug, providerType: p.type, ...fields, ...secret, ...untested },
    { ...fields, ...secret, ...untested },
    { audit: { created: event("added"), updated: event("replaced") }, duplicatesOf: secret.keyFingerprint },
  );
  await configChanged();
  return { id: row.id, created, duplicates };
}
