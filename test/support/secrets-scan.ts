/**
 * Looks for plaintext keys where they must never be: every table of the database, the data files of
 * the embedded database, the server log. Used by the last test file and again by the global
 * teardown (which sees the complete log, whatever order the files ran in).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { findLeak } from "./keys";

/** Every row of every table in the app's schemas, one text line per row. */
export async function dumpDatabase(url: string): Promise<{ text: string; tables: string[] }> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql<{ schema: string; name: string }[]>`
      select table_schema as schema, table_name as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1, 2`;
    const lines: string[] = [];
    for (const t of tables) {
      const rows = await sql.unsafe(`select t::text as line from "${t.schema}"."${t.name}" t`);
      lines.push(`-- ${t.schema}.${t.name}`, ...rows.map((r) => r.line as string));
    }
    return { text: lines.join("\n"), tables: tables.map((t) => `${t.schema}.${t.name}`) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Every file under `dir`, read as bytes (latin1 keeps ASCII keys intact). */
export function readTree(dir: string): { text: string; files: number } {
  let text = "";
  let files = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else if (st.isFile()) {
        files++;
        text += readFileSync(full).toString("latin1");
      }
    }
  };
  walk(dir);
  return { text, files };
}

/** Problems found (empty when clean). */
export async function scanForSecrets(opts: { logPath: string; databaseUrl?: string; keys?: string[] }): Promise<string[]> {
  const problems: string[] = [];
  const log = readFileSync(opts.logPath, "utf8");
  const inLog = findLeak(log, opts.keys);
  if (inLog) problems.push(`the server log (${opts.logPath}) contains ${inLog}`);
  if (opts.databaseUrl) {
    const inDb = findLeak((await dumpDatabase(opts.databaseUrl)).text, opts.keys);
    if (inDb) problems.push(`the database contains ${inDb}`);
  }
  return problems;
}
