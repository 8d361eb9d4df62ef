import "server-only";
import type { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { makeTreePrivate, privateDataDir } from "@/lib/config/data-dir";
import { getEnv } from "@/lib/env";
import { prepareAll } from "./prepare-all";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** How drizzle names columns on both drivers (and in statements built apart from a handle: prepared.ts). */
export const DB_CASING = "snake_case" as const;

interface DbHandle {
  db: Db;
  kind: "postgres" | "pglite";
  describe: string;
  close: () => Promise<void>;
  /** Runs a query and yields its rows in batches, without holding the whole result (see ./cursor.ts). */
  cursor: (text: string, params: unknown[], batch: number) => AsyncIterable<Record<string, unknown>[]>;
}

// Kept on globalThis so that Next's per-route bundles and dev-mode reloads share one pool.
const g = globalThis as unknown as {
  __llmhubDb?: Promise<DbHandle>;
  __llmhubDbDown?: boolean;
  __llmhubDbProbe?: Promise<void>;
  __llmhubDbOpenedAt?: number;
};

/** The database: Postgres when DATABASE_URL is set, else embedded PGlite under DATA_DIR. */
export function getDbHandle(): Promise<DbHandle> {
  g.__llmhubDb ??= (g.__llmhubDbDown ? probe() : Promise.resolve()).then(openDb).catch((err) => {
    g.__llmhubDb = undefined;
    throw err;
  });
  return g.__llmhubDb;
}

/**
 * Called when a query failed because PostgreSQL went away. postgres.js alone handles this badly:
 * queued queries wait through its reconnect backoff (up to 20 s) instead of failing, and after a
 * restart some pooled connections stay broken. So the pool is dropped at once; until one probe
 * connection succeeds, requests fail fast (503), and then a fresh pool is opened.
 */
export function markDatabaseDown(): void {
  if (!getEnv().DATABASE_URL) return;
  // late failures of the pool that was just replaced must not tear down its fresh successor
  if (!g.__llmhubDbDown && Date.now() - (g.__llmhubDbOpenedAt ?? 0) < 1000) return;
  g.__llmhubDbDown = true;
  const old = g.__llmhubDb;
  g.__llmhubDb = undefined;
  old?.then((h) => h.close()).catch(() => {});
}

/** One short-lived connection; shared by concurrent callers for half a second. */
function probe(): Promise<void> {
  g.__llmhubDbProbe ??= (async () => {
    const { default: postgres } = await import("postgres");
    const one = postgres(getEnv().DATABASE_URL ?? "", { max: 1, connect_timeout: 2, idle_timeout: 1, onnotice: () => {} });
    try {
      await one`select 1`;
      g.__llmhubDbDown = false;
    } finally {
      void one.end({ timeout: 0 }).catch(() => {});
      setTimeout(() => (g.__llmhubDbProbe = undefined), 500).unref();
    }
  })();
  return g.__llmhubDbProbe;
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
      max: env.DATABASE_POOL_MAX,
      connect_timeout: 5,
      idle_timeout: 60,
      max_lifetime: 60 * 30,
      onnotice: () => {},
    });
    const url = new URL(env.DATABASE_URL);
    g.__llmhubDbOpenedAt = Date.now();
    return {
      db: drizzle(env.DATABASE_PREPARE === false ? client : prepareAll(client), { schema, casing: DB_CASING }) as unknown as Db,
      kind: "postgres",
      describe: `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`,
      close: () => client.end({ timeout: g.__llmhubDbDown ? 0 : 5 }),
      cursor: (text, params, batch) => client.unsafe(text, params as never[]).cursor(batch),
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  // The files hold password hashes and encrypted keys: new ones are made private by the umask (for
  // the whole process: PGlite keeps creating files), and those of the template or an older install
  // by a pass over the folder once it is open.
  restrictUmask();
  const dir = privateDataDir("pglite");
  const client = await PGlite.create(dir);
  makeTreePrivate(dir);
  return {
    db: drizzle(client, { schema, casing: DB_CASING }) as unknown as Db,
    kind: "pglite",
    describe: `embedded PGlite in ${dir} (set DATABASE_URL to use PostgreSQL)`,
    close: () => client.close(),
    cursor: (text, params, batch) => pgliteCursor(client, text, params, batch),
  };
}

let cursorSeq = 0;

/**
 * PGlite has one connection: a cursor inside a transaction would hold every other query of the app
 * until the reader finished. A WITH HOLD cursor is declared outside one (PostgreSQL keeps its result
 * in a tuplestore that spills to disk), so each batch is one short FETCH between other queries.
 */
async function* pgliteCursor(client: PGlite, text: string, params: unknown[], batch: number) {
  const name = `llmhub_cursor_${process.pid}_${++cursorSeq}`;
  await client.query(`declare ${name} no scroll cursor with hold for ${text}`, params);
  try {
    for (;;) {
      const { rows } = await client.query<Record<string, unknown>>(`fetch forward ${Math.max(1, Math.floor(batch))} from ${name}`);
      if (rows.length) yield rows;
      if (rows.length < batch) return;
    }
  } finally {
    await client.exec(`close ${name}`).catch(() => {});
  }
}

function restrictUmask(): void {
  try {
    process.umask(0o077);
  } catch {
    // worker threads cannot change it; the folder is 0700 and makeTreePrivate still runs
  }
}
