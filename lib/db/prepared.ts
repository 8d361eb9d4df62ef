import "server-only";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { type Db, DB_CASING } from "./client";

const cache = new WeakMap<Db, Map<string, unknown>>();

/**
 * Hot queries (the session check on every request, the list) are built once per database handle:
 * drizzle's query building costs more than the query itself (~0.25 ms vs ~0.2 ms here).
 */
export function prepared<T>(db: Db, name: string, build: (db: Db) => T): T {
  let byName = cache.get(db);
  if (!byName) cache.set(db, (byName = new Map()));
  let stmt = byName.get(name) as T | undefined;
  if (!stmt) byName.set(name, (stmt = build(db)));
  return stmt;
}

/** Makes a hand-written statement's text as the database handles' own dialect would. */
const dialect = new PgDialect({ casing: DB_CASING });

/**
 * A hand-written statement (what `db.execute(sql\`…\`)` runs) built once per database handle, the
 * values that change per call written as `sql.placeholder(name)` and given to `execute`. drizzle
 * builds the text of a many-part statement (a CTE writing three tables) on every call otherwise:
 * ~15% of a delete's CPU in a profile of the bench's delete rows. A placeholder passed through
 * `sql.param(p, column)` (as sql-values.ts does) is encoded by its column when filled in; a jsonb
 * column's encoder turns null into the JSON value `null`, so jsonb values go in as text with a cast.
 * Rows come back as the driver gives them, as from `db.execute`.
 */
export function preparedSql(db: Db, name: string, build: () => SQL): { execute(values: Record<string, unknown>): Promise<unknown> } {
  return prepared(db, name, (d) => d._.session.prepareQuery(dialect.sqlToQuery(build()), undefined, undefined, false));
}
