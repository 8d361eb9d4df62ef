/**
 * What the built app needs around it in a test run, made the same way for every suite: a clean
 * environment, fresh secrets, a throwaway Postgres database and a flushed Redis db (dropped and left
 * after the run), the fake provider's URLs, and users created with the CLI before the app starts.
 */
import { randomBytes } from "node:crypto";
import Redis from "ioredis";
import postgres from "postgres";
import { runNpmScriptOk } from "./cli";

export const PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
export const pgUrl = (db: string, adminUrl = PG_ADMIN_URL) => adminUrl.replace(/\/[^/]*$/, `/${db}`);

/** Variables of the calling shell that would change the app's behaviour; the suite sets its own. */
const STRIP =
  /^(DATABASE_URL|REDIS_URL|DATA_DIR|BYOK_|OPS_CENTER_|SESSION_|ADMIN_|ALLOWED_ORIGINS|TRUST_PROXY|COOKIE_SECURE|PROVIDER_|KEY_TESTS_PER_MINUTE|HEALTH_|LOG_LEVEL|NODE_ENV|PORT|HOSTNAME|VITEST|.*_API_KEY$)/;

/** This process's environment without anything that configures the app, telemetry off. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !STRIP.test(k)) env[k] = v;
  env.NEXT_TELEMETRY_DISABLED = "1";
  return env;
}

/** A Fernet key (32 random bytes, url-safe base64 with padding) and a session secret, fresh per run. */
export function appSecrets(): { BYOK_ENCRYPTION_KEY: string; SESSION_SECRET: string } {
  return {
    BYOK_ENCRYPTION_KEY: randomBytes(32).toString("base64").replace(/\+/g, "-").replace(/\//g, "_"),
    SESSION_SECRET: randomBytes(32).toString("base64url"),
  };
}

/** PROVIDER_BASE_URL_<TYPE> for every built-in provider the fake serves (custom endpoints name their own URL). */
export function providerBaseUrlEnv(baseUrls: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [type, url] of Object.entries(baseUrls)) if (type !== "custom") env[`PROVIDER_BASE_URL_${type.toUpperCase()}`] = url;
  return env;
}

export async function createDatabase(name: string, adminUrl = PG_ADMIN_URL): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Drops a database after closing its connections (an app killed mid-run may have left some). */
export async function dropDatabase(name: string, adminUrl = PG_ADMIN_URL): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
    await sql.unsafe(`drop database if exists "${name}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function flushRedis(url: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    await redis.flushdb();
  } finally {
    await redis.quit();
  }
}

export interface SuiteServices {
  dbName: string;
  databaseUrl: string;
  redisUrl: string;
  /** Drops the database; says so on stderr when it cannot (the run's own result matters more). */
  drop(): Promise<void>;
}

/**
 * A fresh database `<prefix>_<random>` on the machine's Postgres and Redis db `redisDb` flushed (each
 * suite has its own db number, so suites can run side by side). The Redis db is left as it is after.
 * `LLMHUB_TEST_REDIS_PORT` points the suites at another redis-server on loopback, so two checkouts can
 * run the same suite at once.
 */
export async function suiteServices(prefix: string, redisDb: number): Promise<SuiteServices> {
  const dbName = `${prefix}_${randomBytes(6).toString("hex")}`;
  await createDatabase(dbName);
  const redisUrl = `redis://127.0.0.1:${process.env.LLMHUB_TEST_REDIS_PORT || 6379}/${redisDb}`;
  const drop = () => dropDatabase(dbName).catch((err: Error) => console.error(`could not drop ${dbName}: ${err.message}`));
  try {
    await flushRedis(redisUrl);
  } catch (err) {
    await drop();
    throw err;
  }
  return { dbName, databaseUrl: pgUrl(dbName), redisUrl, drop };
}

export interface NewUser {
  email: string;
  password: string;
  role: "admin" | "viewer";
}

/**
 * Creates users with `npm run users -- add`, against the database the app will open: the first run
 * applies the migrations alone, the rest run `parallel` at a time (1 for PGlite, which one process
 * holds at a time).
 */
export async function addUsers(users: NewUser[], env: Record<string, string>, parallel = 3): Promise<void> {
  const add = (u: NewUser) => runNpmScriptOk("users", ["add", "--email", u.email, "--role", u.role], { env, input: `${u.password}\n` });
  const [first, ...rest] = users;
  if (!first) return;
  await add(first);
  for (let i = 0; i < rest.length; i += parallel) await Promise.all(rest.slice(i, i + parallel).map(add));
}
