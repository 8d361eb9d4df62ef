import "server-only";
import { type AnyColumn, getTableColumns, SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/**
 * Pieces of hand-written statements (several writes in one round trip, see provider-keys.ts), with
 * each value encoded as drizzle's own builders would and cast to its column's type, so that a value
 * in a `select` list (which has no target column to infer a type from) still lands as that type.
 * A value that is already SQL (a CTE's column, `now()`) goes in as it is.
 */
function entries(table: PgTable, values: Record<string, unknown>): [AnyColumn, SQL][] {
  const columns = getTableColumns(table) as Record<string, AnyColumn>;
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      const col = columns[k];
      if (!col) throw new Error(`no column ${k} in this table`);
      if (v instanceof SQL) return [col, v]; // an expression (e.g. a CTE's column), used as it is
      const type = sql.raw(col.getSQLType());
      return [col, v === null ? sql`null::${type}` : sql`${sql.param(v, col)}::${type}`];
    });
}

/** `"a" = $1::text, "b" = $2::jsonb, ...` for an UPDATE's SET. */
export function assignments(table: PgTable, values: Record<string, unknown>): SQL {
  return sql.join(
    entries(table, values).map(([col, v]) => sql`${sql.identifier(col.name)} = ${v}`),
    sql`, `,
  );
}

/** The column list and the matching typed values, for `insert into t (columns) select values ...`. */
export function columnsAndValues(table: PgTable, values: Record<string, unknown>): { columns: SQL; values: SQL } {
  const e = entries(table, values);
  return {
    columns: sql.join(e.map(([col]) => sql.identifier(col.name)), sql`, `),
    values: sql.join(e.map(([, v]) => v), sql`, `),
  };
}
