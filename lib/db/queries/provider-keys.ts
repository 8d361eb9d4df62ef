import "server-only";
import { and, eq, getTableColumns, sql } from "drizzle-orm";
import { getDb } from "../client";
import { providerKeyListColumns, type ProviderKeyListRow } from "../columns";
import { rowsOf } from "../rows";
import { prepared } from "../prepared";
import { auditEvents, type NewAuditEvent, type NewProviderKey, type ProviderKey, providerKeys } from "../schema";

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

/**
 * Insert-or-replace on the row's identity, so concurrent saves of one provider end with one row and
 * the last write in it. `created` is true when the row held no key before (built-in rows are seeded
 * without one): the row is locked first, so of concurrent first saves exactly one is the creation.
 */
export async function upsertProviderKeyBySlug(
  values: NewProviderKey & { slug: string },
  update: Partial<NewProviderKey>,
  /** The audit record of the change, written in the same transaction: a stored key is always audited. */
  audit?: (row: ProviderKey, created: boolean) => NewAuditEvent,
): Promise<{ row: ProviderKey; created: boolean }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ encryptedKey: providerKeys.encryptedKey })
      .from(providerKeys)
      .where(eq(providerKeys.slug, values.slug))
      .for("update");
    const [result] = await tx
      .insert(providerKeys)
      .values(values)
      .onConflictDoUpdate({ target: providerKeys.slug, set: { ...update, updatedAt: sql`now()` } })
      // xmax is 0 only on a freshly inserted tuple
      .returning({ ...getTableColumns(providerKeys), inserted: sql<boolean>`(xmax = 0)` });
    if (!result) throw new Error("upsert returned no row");
    const { inserted, ...row } = result;
    const created = Boolean(inserted) || (before !== undefined && before.encryptedKey === null);
    if (audit) await tx.insert(auditEvents).values(audit(row, created));
    return { row, created };
  });
}

export async function updateProviderKeyById(id: string, set: Partial<NewProviderKey>, audit?: NewAuditEvent): Promise<ProviderKey | undefined> {
  const db = await getDb();
  if (!audit) {
    const [row] = await db
      .update(providerKeys)
      .set({ ...set, updatedAt: sql`now()` })
      .where(eq(providerKeys.id, id))
      .returning();
    return row;
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(providerKeys)
      .set({ ...set, updatedAt: sql`now()` })
      .where(eq(providerKeys.id, id))
      .returning();
    if (row) await tx.insert(auditEvents).values(audit);
    return row;
  });
}

/**
 * Takes a stored key out of a row (a built-in row stays, for its environment key) or deletes a
 * custom endpoint, locking the row first so the audit record names the key that was really removed,
 * and writing that record in the same transaction. Returns the row as it was, or undefined if gone.
 */
export async function removeStoredKey(
  id: string,
  clear: Partial<NewProviderKey> | "delete-row",
  audit: (before: ProviderKey) => NewAuditEvent,
): Promise<ProviderKey | undefined> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(providerKeys).where(eq(providerKeys.id, id)).for("update");
    if (!before?.encryptedKey) return before;
    if (clear === "delete-row") await tx.delete(providerKeys).where(eq(providerKeys.id, id));
    else await tx.update(providerKeys).set({ ...clear, updatedAt: sql`now()` }).where(eq(providerKeys.id, id));
    await tx.insert(auditEvents).values(audit(before));
    return before;
  });
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

/** Other rows holding the same key (by fingerprint): duplicates are reported, never revealed. */
export async function listProviderKeyNamesByFingerprint(fingerprint: string, exceptSlug: string): Promise<string[]> {
  const db = await getDb();
  const stmt = prepared(db, "provider_key_names_by_fingerprint", (d) =>
    d
      .select({ name: providerKeys.name })
      .from(providerKeys)
      .where(and(eq(providerKeys.keyFingerprint, p("fingerprint")), sql`${providerKeys.slug} <> ${p("exceptSlug")}`))
      .prepare("provider_key_names_by_fingerprint"),
  );
  const rows = await stmt.execute({ fingerprint, exceptSlug });
  return rows.map((r) => r.name);
}
