// The zero-setup database (PGlite) for a unit test file: a fresh data folder, migrated before the
// file's tests and removed after them; DATABASE_URL and REDIS_URL are unset for the file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";

export function withEmbeddedDb(prefix: string): void {
  let root = "";
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), `llmhub-${prefix}-`));
    Object.assign(process.env, { DATA_DIR: root, LOG_LEVEL: "error" });
    for (const v of ["DATABASE_URL", "REDIS_URL"]) delete process.env[v];
    const { getDb } = await import("@/lib/db/client");
    await (await import("@/lib/db/migrate")).migrate(await getDb());
  }, 120_000);
  afterAll(async () => {
    await (await import("@/lib/db/client")).closeDb();
    if (root) rmSync(root, { recursive: true, force: true });
  });
}

/** Runs raw SQL on the embedded database and answers its rows. */
export async function execSql(text: string): Promise<Record<string, unknown>[]> {
  const { getDb } = await import("@/lib/db/client");
  const { sql } = await import("drizzle-orm");
  const { rowsOf } = await import("@/lib/db/rows");
  return rowsOf<Record<string, unknown>>(await (await getDb()).execute(sql.raw(text)));
}
