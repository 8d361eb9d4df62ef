/** Direct SQL on the test database (services mode only). */
import postgres from "postgres";
import { inject } from "vitest";

export type Sql = ReturnType<typeof postgres>;

/** Opens a one-connection client on the suite's database, runs `fn`, and closes it. */
export async function withSql<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
  const url = inject("databaseUrl");
  if (!url) throw new Error("withSql needs services mode (no DATABASE_URL in zero-setup)");
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
