import "server-only";
import postgres from "postgres";

/**
 * The columns of Ops Center's `llm_providers` that the import reads. Its layout drifted across
 * versions (the key in `api_key_encrypted` or `encrypted_api_key`, the type in `type`,
 * `provider_type` or `provider_slug`, the base URL in `api_base_url`, `base_url` or
 * `config->>'base_url'`, ...), so the table is read by whichever of these it has.
 */
export const OLD_COLUMNS = [
  "id",
  "name",
  "display_name",
  "provider_name",
  "type",
  "provider_type",
  "provider_slug",
  "api_key_encrypted",
  "encrypted_api_key",
  "api_key_source",
  "api_base_url",
  "base_url",
  "config",
  "priority",
  "enabled",
  "is_active",
] as const;
export type OldColumn = (typeof OLD_COLUMNS)[number];

/** One row as read: only the columns the table has; `config` is read as its `base_url` only. */
export type OldRow = { id: string } & Partial<Record<Exclude<OldColumn, "id" | "config"> | "config_base_url", string | number | boolean | null>>;

export interface OldTable {
  /** host:port/database, for the output (never the password). */
  where: string;
  columns: OldColumn[];
  rows: OldRow[];
}

const TEXT: ReadonlySet<OldColumn> = new Set(["name", "display_name", "provider_name", "type", "provider_type", "provider_slug", "api_key_encrypted", "encrypted_api_key", "api_key_source", "api_base_url", "base_url"]);

/** Where a postgres:// URL points, without its credentials. */
export function describeDatabaseUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error("--from: not a URL (expected postgres://USER@HOST:PORT/DATABASE)");
  }
  if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") throw new Error("--from: expected a postgres:// URL");
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
}

/**
 * Reads Ops Center's `llm_providers` in a read-only transaction: it is someone else's database
 * (maybe still in use), so the import can never write to it, whatever goes wrong.
 */
export async function readOpsCenterProviders(url: string): Promise<OldTable> {
  const where = describeDatabaseUrl(url);
  const sql = postgres(url, { max: 1, connect_timeout: 10, onnotice: () => {}, connection: { application_name: "llmhub-import-ops-center" } });
  try {
    return await sql.begin("read only", async (tx) => {
      const [rel] = await tx<{ rel: string | null }[]>`select to_regclass('llm_providers')::text as rel`;
      if (!rel?.rel) throw new Error(`${where} has no llm_providers table (is this Ops Center's database?)`);
      const present = await tx<{ name: string; type: string }[]>`
        select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
        where attrelid = to_regclass('llm_providers') and attnum > 0 and not attisdropped`;
      const types = new Map(present.map((c) => [c.name, c.type]));
      const columns = OLD_COLUMNS.filter((c) => types.has(c) && (c !== "config" || /^jsonb?$/.test(types.get(c)!)));
      if (!columns.includes("id")) throw new Error(`llm_providers in ${where} has no id column; this is not a layout Ops Center has had`);
      if (!columns.includes("api_key_encrypted") && !columns.includes("encrypted_api_key")) {
        throw new Error(`llm_providers in ${where} has no key column (api_key_encrypted or encrypted_api_key): this version of Ops Center stored no provider keys there`);
      }
      // identifiers come from the fixed list above, never from input
      const select = columns.map((c) => {
        if (c === "id") return `"id"::text as "id"`;
        if (c === "config") return `"config"::text as "config"`;
        if (c === "priority") return `"priority"::integer as "priority"`;
        if (c === "enabled" || c === "is_active") return `"${c}"::boolean as "${c}"`;
        return TEXT.has(c) ? `"${c}"::text as "${c}"` : `"${c}"`;
      });
      const rows = await tx.unsafe<(OldRow & { config?: string | null })[]>(`select ${select.join(", ")} from llm_providers`);
      return { where, columns, rows: rows.map(({ config, ...row }) => (config === undefined ? row : { ...row, config_base_url: baseUrlOfConfig(config) })) };
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * `config.base_url`. The object may have been stored JSON-encoded twice (a JSON string holding it:
 * what a client gets that encodes the object itself before a driver that encodes it again).
 */
export function baseUrlOfConfig(json: string | null): string | null {
  try {
    let value: unknown = json === null ? null : JSON.parse(json);
    if (typeof value === "string") value = JSON.parse(value);
    const url = (value as { base_url?: unknown } | null)?.base_url;
    return typeof url === "string" ? url : null;
  } catch {
    return null;
  }
}
