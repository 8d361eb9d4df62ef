/**
 * The Python service LLM Hub replaces (Ops Center's Provider Keys API, FastAPI under uvicorn), run
 * beside the app by `npm run bench -- --reference DIR`. DIR is a folder outside this repo holding its
 * `run.py` host and the upstream modules; nothing of it is copied here. It runs as in production: one
 * worker, uvloop and httptools, sessions in Redis, INFO logging and uvicorn's access log on, against
 * its own fresh PostgreSQL database and Redis db, its key tests sent to the bench's fake provider.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type postgres from "postgres";
import { createKeyring } from "../lib/crypto/keyring";
import { type Child, listenerPid, spawnLogged, waitForHttp } from "./procs";
import type { Side } from "./side-by-side";

/** The interpreter the Debian packages (python3-fastapi, python3-uvloop, …) install for. */
const PYTHON = "/usr/bin/python3";
const PACKAGES = "python3-fastapi python3-asyncpg python3-httpx python3-uvicorn python3-cryptography python3-redis python3-uvloop python3-httptools";

/**
 * Runs DIR/run.py's main() as it is, with one adjustment: the service's own key-test limit (10 per
 * minute per user, a list of timestamps in the process) would refuse all but 10 of the bench's tests,
 * so before each check the user's list is trimmed to its last 9 entries. Every check then passes and
 * still does the work it does in production at the limit's edge (raising the limit instead would
 * let the list grow to every test of the last minute, and the check's cost with it).
 */
const LAUNCHER = `
import sys
here = sys.argv.pop(1)
sys.path.insert(0, here)
import run
import provider_keys_api as api
_check = api.check_test_rate_limit
def check(user_id):
    del api._test_rate_limits[user_id][:-(api.TEST_RATE_LIMIT - 1)]
    return _check(user_id)
api.check_test_rate_limit = check
run.main()
`;

export interface Reference {
  child: Child;
  url: string;
  /** The admin session it seeded, as a Cookie header. */
  cookie: string;
  /** Its own description of itself: Python, FastAPI, uvicorn (loop, http), asyncpg, workers, pool, sessions, logging. */
  versions: string;
}

export function checkReferenceDir(dir: string): void {
  if (!existsSync(path.join(dir, "run.py")) || !existsSync(path.join(dir, "provider_keys_api.py"))) {
    throw new Error(`--reference ${dir}: no run.py and provider_keys_api.py there (pass the reference service's folder, e.g. ../shared/reference-service)`);
  }
  if (!existsSync(PYTHON)) throw new Error(`--reference needs ${PYTHON} with the Debian packages: apt-get install -y ${PACKAGES}`);
}

/**
 * Starts the reference on `port` and waits for its /healthz. `env` carries BYOK_ENCRYPTION_KEY (read
 * when its module is imported) and the provider keys of the environment.
 */
export async function startReference(o: {
  dir: string;
  port: number;
  databaseUrl: string;
  redisUrl: string;
  providerBase: string;
  env: Record<string, string>;
  logPath: string;
}): Promise<Reference> {
  const args = ["-c", LAUNCHER, o.dir, "--port", String(o.port), "--host", "127.0.0.1", "--db", o.databaseUrl, "--workers", "1"];
  args.push("--sessions", "redis", "--redis", o.redisUrl, "--provider-base", o.providerBase);
  const child = spawnLogged("reference service", PYTHON, args, { env: { ...o.env, PYTHONDONTWRITEBYTECODE: "1" }, logPath: o.logPath, cwd: o.dir });
  const url = `http://127.0.0.1:${o.port}`;
  try {
    await waitForHttp(child, `${url}/healthz`, (s) => s === 200);
  } catch (err) {
    const hint = /ModuleNotFoundError|ImportError/.test(child.output()) ? `\nInstall its packages: apt-get install -y ${PACKAGES}` : "";
    throw new Error(`${(err as Error).message}${hint}`);
  }
  const out = child.output();
  const token = /^session_token=(\S+)$/m.exec(out)?.[1];
  const versions = /^ref-server: (.+?); http:\/\/\S+$/m.exec(out)?.[1];
  if (!token || !versions) throw new Error(`the reference printed no session token or version line; see ${o.logPath}`);
  // what makes it the production configuration; anything else would flatter or handicap it
  const wanted = ["loop uvloop, http httptools", "workers 1", "sessions redis", "logging INFO + access log"];
  const missing = wanted.filter((w) => !versions.includes(w));
  if (missing.length) throw new Error(`the reference does not run as in production (${missing.join("; ")} missing): ${versions}\nInstall: apt-get install -y ${PACKAGES}`);
  return { child, url, cookie: `session_token=${token}`, versions };
}

/** A row of the app's list, as the reference gets it. */
export interface ListedRow {
  name: string;
  provider_type: string;
  enabled: boolean;
  priority: number;
  config: Record<string, unknown>;
}

/** Gives the reference the rows of the app's list (same names, types, order, flags and configs), without keys. */
export async function seedReferenceRows(sql: postgres.Sql, rows: ListedRow[]): Promise<void> {
  const json = JSON.stringify(rows.map((r) => ({ name: r.name, type: r.provider_type, enabled: r.enabled, priority: r.priority, config: r.config })));
  await sql.unsafe(
    `insert into llm_providers (name, type, enabled, priority, config)
     select name, type, enabled, priority, config from json_populate_recordset(null::llm_providers, $1::text::json)`,
    [json],
  );
}

/** `n` rows with a stored key each (custom endpoints, as the app's delete pool), encrypted under the reference's key; their ids. */
export async function insertReferenceKeys(sql: postgres.Sql, encryptionKey: string, prefix: string, n: number): Promise<string[]> {
  const keyring = createKeyring([encryptionKey]);
  const ids: string[] = [];
  for (let start = 0; start < n; start += 5000) {
    const rows = Array.from({ length: Math.min(5000, n - start) }, (_, j) => {
      const i = start + j;
      return {
        name: `${prefix} ${String(i).padStart(5, "0")}`,
        type: "custom",
        api_key_encrypted: keyring.encrypt(`sk-${prefix.replace(/\W/g, "")}-${i.toString(16).padStart(8, "0")}-0123456789abcdef`).token,
        api_key_source: "database",
        enabled: i % 10 !== 0,
        priority: i % 7,
        config: { base_url: `http://10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:8000/v1` },
      };
    });
    const out = await sql.unsafe(
      `insert into llm_providers (name, type, api_key_encrypted, api_key_source, enabled, priority, config)
       select name, type, api_key_encrypted, api_key_source, enabled, priority, config
       from json_populate_recordset(null::llm_providers, $1::text::json) returning id`,
      [JSON.stringify(rows)],
    );
    for (const r of out) ids.push(r.id as string);
  }
  return ids;
}

/** Saves `keys` through the reference's own API (each tested against the fake provider, as it does). */
export async function saveReferenceKeys(ref: Reference, keys: [type: string, key: string][]): Promise<void> {
  for (const [type, key] of keys) {
    const res = await fetch(`${ref.url}/api/v1/llm/providers/keys`, {
      method: "POST",
      headers: { cookie: ref.cookie, "content-type": "application/json" },
      body: JSON.stringify({ provider_type: type, api_key: key }),
    });
    const text = await res.text();
    if (res.status !== 200 || (JSON.parse(text) as { success?: unknown }).success !== true) throw new Error(`the reference did not save the ${type} key: ${res.status} ${text.slice(0, 300)}`);
  }
}

const POOL = "bench vs";

/** The reference as one side of the comparison; the delete rows' stored keys are rows of its own table. */
export function referenceSide(ref: Reference, port: number, database: string, sql: postgres.Sql, encryptionKey: string): Side {
  const pid = ref.child.proc.pid!;
  return {
    name: "theirs",
    url: ref.url,
    cookie: ref.cookie,
    database,
    rootPid: pid,
    listenPid: listenerPid(pid, port) ?? pid,
    seedKeys: (n) => insertReferenceKeys(sql, encryptionKey, POOL, n),
    keysLeft: async (ids) =>
      (await sql`select count(*)::int as n from llm_providers where id = any(${sql.array(ids)}::uuid[]) and api_key_encrypted is not null`)[0]!.n as number,
    clearKeys: async () => {
      await sql`delete from llm_providers where name like ${`${POOL} %`}`;
      await sql.unsafe("vacuum (analyze) llm_providers");
    },
  };
}
