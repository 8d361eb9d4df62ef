import "server-only";
import { getDbHandle } from "./client";

/**
 * A query's rows in batches of `batch`, read through a server-side cursor (postgres.js `.cursor(n)`,
 * or a WITH HOLD cursor in PGlite), so a 100,000-row export never sits in memory. Rows come back raw:
 * keys are the column names of the SQL, values as the driver parses them. Stopping early (a client
 * that hangs up) closes the cursor.
 */
export async function* cursorRows(query: { toSQL: () => { sql: string; params: unknown[] } }, batch: number): AsyncGenerator<Record<string, unknown>[]> {
  const { sql, params } = query.toSQL();
  const handle = await getDbHandle();
  yield* handle.cursor(sql, params, batch);
}
