/**
 * What the import test needs around `npm run import:ops-center`: old Ops Center databases built from
 * the layout fixtures (test/fixtures/ops-center/), keys encrypted by Python's `cryptography.fernet`
 * as Ops Center did, and throwaway LLM Hub databases to import into (PostgreSQL, or PGlite in
 * zero-setup mode, opened the way the app opens it).
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { createDatabase, dropDatabase, PG_ADMIN_URL } from "./app-services";
import { dumpDatabase, readTree } from "./secrets-scan";

// The system interpreter (Debian's python3-cryptography), not a pyenv one first on PATH.
const PYTHON = "/usr/bin/python3";
const FERNET = `
import json, sys
from cryptography.fernet import Fernet
req = json.load(sys.stdin)
key = req.get("key") or Fernet.generate_key().decode()
f = Fernet(key.encode())
json.dump({"key": key, "tokens": [f.encrypt(p.encode("utf-8")).decode() for p in req["plaintexts"]]}, sys.stdout)
`;

/** Encrypts as Ops Center did (`Fernet(BYOK_ENCRYPTION_KEY).encrypt(api_key.encode())`), under a new key unless one is given. */
export function encryptWithPython(plaintexts: string[], key?: string): { key: string; tokens: string[] } {
  try {
    execFileSync(PYTHON, ["-c", "import cryptography.fernet"], { stdio: "pipe" });
  } catch {
    throw new Error(`${PYTHON} cannot import cryptography.fernet; install it with: apt-get install -y python3-cryptography`);
  }
  return JSON.parse(execFileSync(PYTHON, ["-c", FERNET], { input: JSON.stringify({ key, plaintexts }), encoding: "utf8" }));
}

/** Null when PostgreSQL (where an Ops Center database always lives) answers, else why not. */
export async function postgresUnreachable(): Promise<string | null> {
  const sql = postgres(PG_ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return null;
  } catch (err) {
    return `Ops Center's database is PostgreSQL, and none answers at ${PG_ADMIN_URL} (${(err as Error).message})`;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

const hex = () => randomBytes(5).toString("hex");
const created: string[] = [];
const dirs: string[] = [];

/** A new PostgreSQL database with the layout's llm_providers and these rows in it. */
export async function createOpsCenterDatabase(fixture: string | null, rows: Record<string, unknown>[] = []) {
  const name = `ops_center_${hex()}`;
  await createDatabase(name);
  created.push(name);
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    if (fixture) await sql.file(path.resolve("test/fixtures/ops-center", fixture));
    for (const row of rows) await sql`insert into llm_providers ${sql(row)}`;
  } finally {
    await sql.end({ timeout: 5 });
  }
  return { url, run: async <T>(fn: (sql: postgres.Sql) => Promise<T>) => withUrl(url, fn) };
}

async function withUrl<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export interface OurKeyRow {
  id: string;
  slug: string;
  provider_type: string;
  name: string;
  encrypted_key: string | null;
  encryption_key_id: string | null;
  key_preview: string | null;
  key_fingerprint: string | null;
  enabled: boolean;
  priority: number;
  config: { base_url?: string };
  health_status: string;
  test_status: string | null;
  last_tested: Date | null;
  updated_by: string | null;
  updated_at: Date;
}
export interface OurAuditRow {
  action: string;
  outcome: string;
  actor_email: string | null;
  target: string | null;
  provider_type: string | null;
  key_fingerprint: string | null;
  detail: Record<string, unknown> | null;
}
export interface Snapshot {
  keys: OurKeyRow[];
  audit: OurAuditRow[];
  checks: { provider_key_id: string; trigger: string; outcome: string }[];
}

const SNAPSHOT = {
  keys: `select id, slug, provider_type, name, encrypted_key, encryption_key_id, key_preview, key_fingerprint, enabled, priority, config,
    health_status, test_status, last_tested, updated_by, updated_at from provider_keys order by slug`,
  audit: "select action, outcome, actor_email, target, provider_type, key_fingerprint, detail from audit_events order by id",
  checks: "select provider_key_id, trigger, outcome from health_checks order by id",
};

/**
 * A fresh LLM Hub database for one import: in services mode a PostgreSQL database (DATABASE_URL), in
 * zero-setup mode an empty DATA_DIR where the CLI opens PGlite as the app would. `env` is what the
 * CLI runs with; `snapshot()` reads what it stored (call it only while no CLI runs: PGlite is one
 * process at a time).
 */
export async function createLlmHubTarget(mode: "services" | "zero-setup", baseEnv: Record<string, string>, encryptionKey: string) {
  const env: Record<string, string> = { ...baseEnv, BYOK_ENCRYPTION_KEY: encryptionKey };
  delete env.BYOK_ENCRYPTION_KEYS;
  if (mode === "services") {
    const name = `llmhub_import_${hex()}`;
    await createDatabase(name);
    created.push(name);
    const url = `postgres://postgres@127.0.0.1:5432/${name}`;
    env.DATABASE_URL = url;
    return {
      env,
      snapshot: () => withUrl(url, async (sql) => ({
        keys: (await sql.unsafe(SNAPSHOT.keys)) as unknown as OurKeyRow[],
        audit: (await sql.unsafe(SNAPSHOT.audit)) as unknown as OurAuditRow[],
        checks: (await sql.unsafe(SNAPSHOT.checks)) as unknown as Snapshot["checks"],
      })),
      /** Everything stored, as text, for the plaintext scan. */
      dump: async () => (await dumpDatabase(url)).text,
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), "llmhub-import-"));
  dirs.push(dir);
  delete env.DATABASE_URL;
  env.DATA_DIR = dir;
  return {
    env,
    snapshot: async (): Promise<Snapshot> => {
      const { PGlite } = await import("@electric-sql/pglite");
      const db = await PGlite.create(path.join(dir, "pglite"));
      try {
        return {
          keys: (await db.query<OurKeyRow>(SNAPSHOT.keys)).rows,
          audit: (await db.query<OurAuditRow>(SNAPSHOT.audit)).rows,
          checks: (await db.query<Snapshot["checks"][number]>(SNAPSHOT.checks)).rows,
        };
      } finally {
        await db.close();
      }
    },
    dump: async () => readTree(dir).text,
  };
}

/** Drops every database and removes every directory made by this module. */
export async function cleanUpOpsCenterTests(): Promise<void> {
  for (const name of created.splice(0)) await dropDatabase(name).catch((err) => console.error(`could not drop ${name}: ${(err as Error).message}`));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
