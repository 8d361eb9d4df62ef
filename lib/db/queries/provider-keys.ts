import "server-only";
import { and, eq, type SQL, sql } from "drizzle-orm";
import { type Db, getDb } from "../client";
import { providerKeyListColumns, type ProviderKeyListRow } from "../columns";
import { rowsOf } from "../rows";
import { assignments, columnsAndValues } from "../sql-values";
import { auditInsertPrepared, auditInsertSql, auditValues } from "./audit";
import { prepared, preparedSql } from "../prepared";
import { auditEvents, healthChecks, type NewAuditEvent, type NewHealthCheck, type NewProviderKey, type ProviderKey, providerKeys } from "../schema";

/**
 * Every row, with only what the list shows (see providerKeyListColumns). The statement is prepared
 * once; its rows come back as the driver makes them (`all()`: no drizzle row mapping), since the
 * columns are already aliased and typed as the list needs them.
 */
export async function listProviderKeyRows(): Promise<ProviderKeyListRow[]> {
  const db = await getDb();
  const stmt = prepared(db, "list_provider_keys", (d) => d.select(providerKeyListColumns).from(providerKeys).prepare("list_provider_keys"));
  // `all()` is on every driver's prepared query (postgres.js and PGlite), though not in the select's type
  return rowsOf<ProviderKeyListRow>(await (stmt as unknown as { all(): Promise<unknown> }).all());
}

const p = sql.placeholder;

// The statements every test, save or delete runs are prepared once per database handle: building a
// drizzle query costs more than running it.

export async function getProviderKeyById(id: string): Promise<ProviderKey | undefined> {
  const db = await getDb();
  const stmt = prepared(db, "provider_key_by_id", (d) =>
    d.select().from(providerKeys).where(eq(providerKeys.id, p("id"))).limit(1).prepare("provider_key_by_id"),
  );
  const [row] = await stmt.execute({ id });
  return row;
}

export async function getProviderKeyBySlug(slug: string): Promise<ProviderKey | undefined> {
  const db = await getDb();
  const stmt = prepared(db, "provider_key_by_slug", (d) =>
    d.select().from(providerKeys).where(eq(providerKeys.slug, p("slug"))).limit(1).prepare("provider_key_by_slug"),
  );
  const [row] = await stmt.execute({ slug });
  return row;
}

export async function listProviderKeyRowsByType(providerType: string): Promise<ProviderKey[]> {
  const db = await getDb();
  return db.select().from(providerKeys).where(eq(providerKeys.providerType, providerType));
}

/**
 * Built-in rows exist from the start so that every provider has a stable id. The custom row among
 * them is a placeholder, inserted only while no custom endpoint exists at all.
 */
export async function seedBuiltinProviderRows(rows: { slug: string; providerType: string; name: string }[]) {
  const db = await getDb();
  const builtins = rows.filter((r) => r.providerType !== "custom");
  const placeholder = rows.find((r) => r.providerType === "custom");
  if (builtins.length) await db.insert(providerKeys).values(builtins).onConflictDoNothing({ target: providerKeys.slug });
  if (placeholder) await restoreCustomPlaceholder(placeholder);
}

/** Inserts the "Custom Endpoint" placeholder row while no custom endpoint exists at all. */
export async function restoreCustomPlaceholder(placeholder: { slug: string; name: string }) {
  const db = await getDb();
  await db.execute(sql`insert into provider_keys (slug, provider_type, name)
    select ${placeholder.slug}, 'custom', ${placeholder.name}
    where not exists (select 1 from provider_keys where provider_type = 'custom')
    on conflict (slug) do nothing`);
}

/** The audit records a save writes with its upsert: one of them, by whether the save created the key. */
export interface SaveAudit {
  created: NewAuditEvent;
  updated: NewAuditEvent;
}

/** What a save writes besides the row: its audit record and, when it cannot raise an alert, its history row. */
export interface SaveExtras {
  audit?: SaveAudit;
  /**
   * The save's check as a history row, written by the same statement when it cannot change the alert
   * state (a healthy result for a row that has none and is not in a degraded run); otherwise the
   * result says `checked: false` and the caller records the check on the locked path.
   */
  history?: Omit<NewHealthCheck, "providerKeyId">;
  /** The credit state the check keeps quiet (creditQuietState); a row in the other one takes the locked path too. */
  creditQuiet?: "none" | "low" | null;
  /** The names of other rows that hold the key with this fingerprint (a warning for the admin). */
  duplicatesOf?: string;
}

export interface SaveResult {
  row: Pick<ProviderKey, "id" | "name" | "enabled" | "keyPreview">;
  created: boolean;
  checked: boolean;
  duplicates: string[];
}

/**
 * Insert-or-replace on the row's identity, so concurrent saves of one provider end with one row and
 * the last write in it. `created` is true when the row held no key before (built-in rows are seeded
 * without one): the row is locked first, so of concurrent first saves exactly one is the creation.
 * One statement (one round trip, one commit): lock the row and read its old key and alert state,
 * update it or insert it, and write the audit record (whose target and `detail.name` are the row's)
 * and the history row (see SaveExtras).
 */
export async function upsertProviderKeyBySlug(
  values: NewProviderKey & { slug: string },
  update: Partial<NewProviderKey>,
  extras: SaveExtras = {},
): Promise<SaveResult> {
  const db = await getDb();
  const { audit, history } = extras;
  const set = assignments(providerKeys, { ...update, updatedAt: sql`now()` });
  const insert = columnsAndValues(providerKeys, values);
  const auditOf = (event: NewAuditEvent, when: SQL) =>
    auditInsertSql(event, {
      source: sql`r where ${when}`,
      fields: { target: sql`r.id::text` },
      detail: sql`jsonb_build_object('name', r.name)`,
    });
  // only a healthy result can be written without the alert rule (see SaveExtras.history)
  const quiet = history?.outcome === "healthy" ? columnsAndValues(healthChecks, { ...history, providerKeyId: sql`r.id` }) : null;
  // `old` is read (and its row locked) before either write runs, since both take their rows from it;
  // a lock that waited for a concurrent save sees that save's committed row (READ COMMITTED re-check).
  const rows = rowsOf<{ id: string; name: string; enabled: boolean; key_preview: string | null; created: boolean; checked: boolean; duplicates: string[] | null }>(
    await db.execute(sql`
      with old as materialized (
        select id, encrypted_key, alert_state, degraded_since, credit_alert_state from provider_keys where slug = ${values.slug} for update),
      upd as (
        update provider_keys p set ${set} from old where p.id = old.id
        returning p.id, p.name, p.enabled, p.key_preview, old.encrypted_key is null as created),
      ins as (
        insert into provider_keys (${insert.columns}) select ${insert.values} where not exists (select 1 from old)
        on conflict (slug) do update set ${set}
        returning id, name, enabled, key_preview, (xmax = 0) as created),
      r as (select * from upd union all select * from ins)
      ${audit ? sql`, a1 as (${auditOf(audit.created, sql`r.created`)}), a2 as (${auditOf(audit.updated, sql`not r.created`)})` : sql``}
      ${
        quiet
          ? sql`, h as (
              insert into health_checks (${quiet.columns}) select ${quiet.values} from r
              where not exists (select 1 from old where alert_state <> 'none' or degraded_since is not null
                ${extras.creditQuiet ? sql`or credit_alert_state <> ${extras.creditQuiet}` : sql``})
              returning id)`
          : sql``
      }
      select r.*,
        ${quiet ? sql`exists (select 1 from h)` : sql`false`} as checked,
        ${extras.duplicatesOf ? sql`array(select name from provider_keys where key_fingerprint = ${extras.duplicatesOf} and slug <> ${values.slug} order by name)` : sql`null::text[]`} as duplicates
      from r`),
  );
  const [r] = rows;
  if (!r) throw new Error("upsert returned no row");
  return {
    row: { id: r.id, name: r.name, enabled: r.enabled, keyPreview: r.key_preview },
    created: r.created,
    checked: r.checked,
    duplicates: r.duplicates ?? [],
  };
}

/**
 * Updates one row (and writes its audit record in the same transaction). With `unchanged`, only while
 * the row still holds that ciphertext and base URL (compare-and-set): undefined when it no longer does.
 */
export async function updateProviderKeyById(
  id: string,
  set: Partial<NewProviderKey>,
  audit?: NewAuditEvent,
  unchanged?: { encryptedKey: string | null; baseUrl: string | null },
): Promise<ProviderKey | undefined> {
  const db = await getDb();
  const where = unchanged
    ? and(
        eq(providerKeys.id, id),
        sql`${providerKeys.encryptedKey} is not distinct from ${unchanged.encryptedKey}`,
        sql`${providerKeys.config}->>'base_url' is not distinct from ${unchanged.baseUrl}`,
      )
    : eq(providerKeys.id, id);
  const update = async (d: Db) => (await d.update(providerKeys).set({ ...set, updatedAt: sql`now()` }).where(where).returning())[0];
  if (!audit) return update(db);
  return db.transaction(async (tx) => {
    const row = await update(tx);
    if (row) await tx.insert(auditEvents).values(audit);
    return row;
  });
}

/**
 * What a built-in row keeps when its key is deleted: no key, no test result, and no alert state
 * (what admins were told was about the deleted key; the environment key starts afresh).
 */
const CLEARED_KEY: Partial<NewProviderKey> = {
  encryptedKey: null,
  encryptionKeyId: null,
  keyPreview: null,
  keyFingerprint: null,
  healthStatus: "unknown",
  testStatus: null,
  lastTested: null,
  lastTest: null,
  alertState: "none",
  degradedSince: null,
  lastAlertAt: null,
  alertReminders: 0,
  creditAlertState: "none",
};

/**
 * removeStoredKey's statement, with placeholders: `id`, `updatedBy` and the audit record's fields
 * (auditValues). Exported for the bench's bare floor (bench/baseline.ts), which runs the same text.
 */
export function removeStoredKeyStatement(): SQL {
  return sql`
    with b as materialized (
      select id, provider_type, name, key_fingerprint, encrypted_key is not null as had_key
      from provider_keys where id = ${p("id")}::uuid for update),
    gone as (delete from provider_keys p using b where p.id = b.id and b.had_key and b.provider_type = 'custom'),
    cleared as (
      update provider_keys p set ${assignments(providerKeys, { ...CLEARED_KEY, updatedBy: p("updatedBy"), updatedAt: sql`now()` })}
      from b where p.id = b.id and b.had_key and b.provider_type <> 'custom'),
    a as (${auditInsertPrepared({
      source: sql`b`,
      fields: {
        target: sql`b.id::text`,
        providerType: sql`b.provider_type`,
        keyFingerprint: sql`b.key_fingerprint`,
      },
      detail: sql`jsonb_build_object('name', b.name, 'had_key', b.had_key)`,
    })})
    -- another custom row that nobody else holds, locked until this commits: while it exists the
    -- "Custom Endpoint" placeholder is not needed (one held by a concurrent delete is skipped, and
    -- then the caller checks again after the commit)
    , other as (select id from provider_keys where provider_type = 'custom' and id <> ${p("id")}::uuid limit 1 for key share skip locked)
    select id, provider_type, name, had_key, exists (select 1 from other) as others_remain from b`;
}

/**
 * Takes a stored key out of a row (a built-in row stays, with CLEARED_KEY applied, for its
 * environment key) or deletes a custom endpoint, and writes the audit record: one statement (its
 * text built once: preparedSql) that locks the row first, so the record names the key that was
 * really removed (`key_fingerprint`, and in `detail` the row's name and whether it held a key: a
 * row without one is left as it is, and still audited).
 * Returns the row as it was, or undefined when there is no such row; `customRemains` is true when
 * another custom row is sure to outlive this change (so the placeholder cannot be needed).
 */
export async function removeStoredKey(
  id: string,
  updatedBy: string,
  audit: NewAuditEvent,
): Promise<{ id: string; providerType: string; name: string; hadKey: boolean; customRemains: boolean } | undefined> {
  const db = await getDb();
  const stmt = preparedSql(db, "remove_stored_key", removeStoredKeyStatement);
  const rows = rowsOf<{ id: string; provider_type: string; name: string; had_key: boolean; others_remain: boolean }>(
    await stmt.execute({ ...auditValues(audit), id, updatedBy }),
  );
  const [r] = rows;
  return r && { id: r.id, providerType: r.provider_type, name: r.name, hadKey: r.had_key, customRemains: r.others_remain };
}

/** Rows whose ciphertext is not under the given key id (what a rotation still has to do). */
export async function listRowsToReencrypt(primaryKeyId: string, limit: number): Promise<ProviderKey[]> {
  const db = await getDb();
  return db
    .select()
    .from(providerKeys)
    .where(sql`${providerKeys.encryptedKey} is not null and ${providerKeys.encryptionKeyId} is distinct from ${primaryKeyId}`)
    .orderBy(providerKeys.id)
    .limit(limit);
}

/** Compare-and-set on the old ciphertext so that a save racing the rotation is never overwritten. */
export async function replaceCiphertext(
  id: string,
  oldToken: string,
  next: { encryptedKey: string; encryptionKeyId: string; keyFingerprint: string },
): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .update(providerKeys)
    .set(next)
    .where(and(eq(providerKeys.id, id), eq(providerKeys.encryptedKey, oldToken)))
    .returning({ id: providerKeys.id });
  return rows.length === 1;
}

