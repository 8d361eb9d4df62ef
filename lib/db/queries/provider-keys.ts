import "server-only";
import { and, eq, getTableColumns, isNull, sql } from "drizzle-orm";
import { getDb } from "../client";
import { prepared } from "../prepared";
import { type NewProviderKey, type ProviderKey, providerKeys, type StoredTestResult } from "../schema";

export async function listProviderKeyRows(): Promise<ProviderKey[]> {
  const db = await getDb();
  return prepared(db, "list_provider_keys", (d) => d.select().from(providerKeys).prepare("list_provider_keys")).execute();
}

export async function getProviderKeyById(id: string): Promise<ProviderKey | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(providerKeys).where(eq(providerKeys.id, id)).limit(1);
  return row;
}

export async function getProviderKeyBySlug(slug: string): Promise<ProviderKey | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(providerKeys).where(eq(providerKeys.slug, slug)).limit(1);
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
  if (placeholder) {
    await db.execute(sql`insert into provider_keys (slug, provider_type, name)
      select ${placeholder.slug}, 'custom', ${placeholder.name}
      where not exists (select 1 from provider_keys where provider_type = 'custom')
      on conflict (slug) do nothing`);
  }
}

/**
 * Insert-or-replace on the row's identity, so concurrent saves of one provider end with one row and
 * the last write in it. `created` is true when the row held no key before (built-in rows are seeded
 * without one): the row is locked first, so of concurrent first saves exactly one is the creation.
 */
export async function upsertProviderKeyBySlug(
  values: NewProviderKey & { slug: string },
  update: Partial<NewProviderKey>,
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
    return { row, created: Boolean(inserted) || (before !== undefined && before.encryptedKey === null) };
  });
}

/**
 * Records a test result only if the row still holds the key that was tested (a concurrent save may
 * have replaced it meanwhile); `fingerprint` null means the environment key was tested.
 */
export async function recordProviderKeyTestResult(
  id: string,
  fingerprint: string | null,
  r: { healthStatus: ProviderKey["healthStatus"]; testStatus: "success" | "failed"; testedAt: Date; lastTest: StoredTestResult },
): Promise<void> {
  const db = await getDb();
  await db
    .update(providerKeys)
    .set({ healthStatus: r.healthStatus, testStatus: r.testStatus, lastTested: r.testedAt, lastTest: r.lastTest })
    .where(
      and(
        eq(providerKeys.id, id),
        fingerprint ? eq(providerKeys.keyFingerprint, fingerprint) : isNull(providerKeys.keyFingerprint),
      ),
    );
}

export async function updateProviderKeyById(id: string, set: Partial<NewProviderKey>): Promise<ProviderKey | undefined> {
  const db = await getDb();
  const [row] = await db
    .update(providerKeys)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(providerKeys.id, id))
    .returning();
  return row;
}

export async function deleteProviderKeyById(id: string): Promise<void> {
  const db = await getDb();
  await db.delete(providerKeys).where(eq(providerKeys.id, id));
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
  const rows = await db
    .select({ name: providerKeys.name })
    .from(providerKeys)
    .where(and(eq(providerKeys.keyFingerprint, fingerprint), sql`${providerKeys.slug} <> ${exceptSlug}`));
  return rows.map((r) => r.name);
}
