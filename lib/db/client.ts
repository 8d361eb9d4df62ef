import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { getEnv } from "@/lib/env";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

interface DbHandle {
  db: Db;
  kind: "postgres" | "pglite";
  describe: string;
  close: () => Promise<void>;
}

// Kept on globalThis so that Next's per-route bundles and dev-mode reloads share one pool.
const g = globalThis as unknown as { __llmhubDb?: Promise<DbHandle> };

/** The database: Postgres when DATABASE_URL is set, else embedded PGlite under DATA_DIR. */
export function getDbHandle(): Promise<DbHandle> {
  g.__llmhubDb ??= openDb().catch((err) => {
    g.__llmhubDb = undefined;
    throw err;
  });
  return g.__llmhubDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

export async function closeDb(): Promise<void> {
  const handle = g.__llmhubDb;
  g.__llmhubDb = undefined;
  if (handle) await (await handle).close();
}

async function openDb(): Promise<DbHandle> {
  const env = getEnv();
  if (env.DATABASE_URL) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const client = postgres(env.DATABASE_URL, {
      max: 10,
      connect_timeout: 5,
      idle_timeout: 60,
      max_lifetime: 60 * 30,
      onnotice: () => {},
    });
    const url = new URL(env.DATABASE_URL);
    return {
      db: drizzle(client, { schema, casing: "snake_case" }) as unknown as Db,
      kind: "postgres",
      describe: `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`,
      close: () => client.end({ timeout: 5 }),
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const dir = path.resolve(env.DATA_DIR, "pglite");
  mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir);
  return {
    db: drizzle(client, { schema, casing: "snake_case" }) as unknown as Db,
    kind: "pglite",
    describe: `embedded PGlite in ${dir} (set DATABASE_URL to use PostgreSQL)`,
    close: () => client.close(),
  };
}
