// Zero-setup mode on a real (embedded) Postgres: DATA_DIR, the PGlite files (WAL included) and the
// local secrets are private to the user, also when an older install left them with default modes.
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, expect, it } from "vitest";

let root: string;
let dataDir: string;

/** Every path under `dir` (itself included) whose mode lets the group or others in, with that mode. */
function open(dir: string): string[] {
  const out: string[] = [];
  const visit = (p: string) => {
    const st = lstatSync(p);
    if ((st.mode & 0o077) !== 0) out.push(`${path.relative(dataDir, p) || "."} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const e of readdirSync(p)) visit(path.join(p, e));
  };
  visit(dir);
  return out;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "llmhub-datadir-"));
  dataDir = path.join(root, "data");
  // an install made before this rule: default folder modes, and PGlite's own file modes
  const previous = process.umask(0o022);
  mkdirSync(path.join(dataDir, "pglite"), { recursive: true });
  chmodSync(dataDir, 0o755);
  const old = await PGlite.create(path.join(dataDir, "pglite"));
  await old.query("select 1");
  await old.close();
  process.umask(previous);
  expect(open(dataDir).length).toBeGreaterThan(100); // what the app has to fix

  Object.assign(process.env, { DATA_DIR: dataDir, LOG_LEVEL: "error", ADMIN_EMAIL: "admin@example.com", ADMIN_PASSWORD: "a long enough passphrase" });
  for (const v of ["DATABASE_URL", "REDIS_URL", "BYOK_ENCRYPTION_KEY", "BYOK_ENCRYPTION_KEYS", "SESSION_SECRET"]) delete process.env[v];
}, 60_000);

afterAll(async () => {
  await (await import("@/lib/db/client")).closeDb();
  rmSync(root, { recursive: true, force: true });
});

it("opens the embedded database with DATA_DIR 0700 and every file in it 0600, the local secrets included", async () => {
  const { ensureReady } = await import("@/lib/boot");
  const { closeDb, getDb } = await import("@/lib/db/client");
  await ensureReady(); // local secrets, PGlite, migrations, the first admin
  const { sql } = await import("drizzle-orm");
  const db = await getDb();
  // files PGlite makes after it opened: a new table and enough rows for new WAL
  await db.execute(sql`create table mode_probe as select repeat('x', 500) as v from generate_series(1, 20000)`);
  await db.execute(sql`checkpoint`);
  await closeDb();

  expect(open(dataDir)).toEqual([]);
  expect(readdirSync(dataDir).sort()).toEqual(["encryption.key", "pglite", "session.secret"]);
  expect(lstatSync(dataDir).mode & 0o777).toBe(0o700);
  expect(lstatSync(path.join(dataDir, "pglite", "pg_wal")).mode & 0o777).toBe(0o700);
}, 30_000); // the first start migrates every table (usage ones included) and seeds the price table on PGlite
