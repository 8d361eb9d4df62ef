import "server-only";
import path from "node:path";
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import type { Db } from "./client";
import { rowsOf } from "./rows";

// Any fixed number; every instance must use the same one.
const MIGRATION_LOCK_ID = 7_270_301;

/**
 * Applies drizzle-kit's committed migrations in one transaction that holds an advisory lock, so two
 * instances starting together run them once. Bookkeeping is drizzle-kit's own table, so
 * `drizzle-kit migrate` and this agree on what has been applied.
 */
export async function migrate(db: Db, folder = path.resolve(process.cwd(), "drizzle")): Promise<number> {
  const migrations = readMigrationFiles({ migrationsFolder: folder });
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`);
    await tx.execute(sql`create schema if not exists drizzle`);
    await tx.execute(
      sql`create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`,
    );
    const rows = await tx.execute(
      sql`select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`,
    );
    const list = rowsOf<{ created_at: string | number }>(rows);
    const last = list[0] ? Number(list[0].created_at) : 0;
    let applied = 0;
    for (const m of migrations) {
      if (m.folderMillis <= last) continue;
      for (const stmt of m.sql) if (stmt.trim()) await tx.execute(sql.raw(stmt));
      await tx.execute(
        sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${m.hash}, ${m.folderMillis})`,
      );
      applied++;
    }
    return applied;
  });
}
