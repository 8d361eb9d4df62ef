/**
 * Integration global setup: real services (or none, in zero-setup mode), the fake provider, users
 * created with the CLI, and the BUILT app under `next start`. Mode: LLMHUB_TEST_MODE = "services"
 * (default: a fresh Postgres database and Redis db) or "zero-setup" (PGlite in a temp DATA_DIR and
 * the in-process limiter).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import Redis from "ioredis";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { startFakeProvider, type FakeProvider } from "../fake-provider/server";
import { KEYS } from "../support/api";
import { Client } from "../support/client";
import { runNpmScriptOk } from "../support/cli";
import { ADMIN_PURPOSES, type Credentials, type InitialList, type TestMode, type TestUsers } from "../support/context";
import { allRecordedKeys, providerKey, setKeySink } from "../support/keys";
import { scanForSecrets } from "../support/secrets-scan";

const PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const REDIS_DB = Number(process.env.LLMHUB_IT_REDIS_DB ?? 7);
const PROVIDER_TIMEOUT_MS = 1500;
const READY_TIMEOUT_MS = 60_000;

/** Variables of the calling shell that would change the app's behaviour; the suite sets its own. */
const STRIP = /^(DATABASE_URL|REDIS_URL|DATA_DIR|BYOK_|SESSION_|ADMIN_|ALLOWED_ORIGINS|TRUST_PROXY|COOKIE_SECURE|PROVIDER_|KEY_TESTS_PER_MINUTE|LOG_LEVEL|NODE_ENV|PORT|HOSTNAME|VITEST|.*_API_KEY$)/;

const hex = (n: number) => randomBytes(n).toString("hex");
/** A Fernet key: 32 random bytes, url-safe base64 with padding. */
const fernetKey = () => randomBytes(32).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function logTail(file: string, lines = 60): string {
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").slice(-lines).join("\n") : "(no log)";
}

async function waitReady(url: string, child: ChildProcess, logPath: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before it was ready. Log tail:\n${logTail(logPath)}`);
    }
    try {
      const res = await fetch(`${url}/api/health/ready`);
      last = `${res.status} ${await res.text()}`;
      if (res.status === 200) return;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the server was not ready within ${READY_TIMEOUT_MS / 1000} s (last: ${last}). Log tail:\n${logTail(logPath)}`);
}

function stopProcess(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

async function dropDatabase(name: string): Promise<void> {
  const sql = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
    await sql.unsafe(`drop database if exists "${name}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !STRIP.test(k)) env[k] = v;
  env.NEXT_TELEMETRY_DISABLED = "1";
  return env;
}

export default async function setup(project: TestProject) {
  const mode: TestMode = process.env.LLMHUB_TEST_MODE === "zero-setup" ? "zero-setup" : "services";
  mkdirSync("test-results", { recursive: true });
  const logPath = path.resolve(`test-results/server-${mode}.log`);
  const tmp = mkdtempSync(path.join(tmpdir(), "llmhub-it-"));
  const keysFile = path.join(tmp, "keys.jsonl");
  writeFileSync(keysFile, "");
  setKeySink(keysFile);

  let fake: FakeProvider | undefined;
  let server: ChildProcess | undefined;
  let dbName: string | undefined;
  let log: ReturnType<typeof createWriteStream> | undefined;

  let ready = false;
  const teardown = async () => {
    if (server) await stopProcess(server);
    if (log) await new Promise<void>((r) => log!.end(() => r()));
    if (fake) await fake.close();
    // The last word on secrets: the complete log and the final database, whatever order the files ran in.
    const problems = ready
      ? await scanForSecrets({ logPath, databaseUrl: dbName ? `postgres://postgres@127.0.0.1:5432/${dbName}` : undefined, keys: allRecordedKeys() })
      : [];
    if (dbName) await dropDatabase(dbName).catch((err) => console.error(`could not drop ${dbName}: ${(err as Error).message}`));
    rmSync(tmp, { recursive: true, force: true });
    if (problems.length) throw new Error(`secret scan after the run:\n  ${problems.join("\n  ")}`);
  };

  try {
    const encryptionKey = fernetKey();
    const sessionSecret = randomBytes(32).toString("base64url");
    const common: Record<string, string> = {
      ...baseEnv(),
      BYOK_ENCRYPTION_KEY: encryptionKey,
      SESSION_SECRET: sessionSecret,
      DATA_DIR: path.join(tmp, "data"),
    };
    let databaseUrl = "";
    let redisUrl = "";
    if (mode === "services") {
      dbName = `llmhub_it_${hex(6)}`;
      const sql = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
      await sql.unsafe(`create database "${dbName}"`);
      await sql.end({ timeout: 5 });
      databaseUrl = `postgres://postgres@127.0.0.1:5432/${dbName}`;
      redisUrl = `redis://127.0.0.1:6379/${REDIS_DB}`;
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
      await redis.flushdb();
      await redis.quit();
      Object.assign(common, { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl });
    }

    fake = await startFakeProvider({ port: 0 });
    const mistralEnvKey = providerKey("mistral");

    // Users first, with the CLI, against the same database the server will open.
    const pw = () => `pw-${hex(12)}`;
    const cred = (email: string): Credentials => ({ email, password: pw() });
    const users: TestUsers = {
      admins: Object.fromEntries(ADMIN_PURPOSES.map((p) => [p, cred(`admin-${p}@example.com`)])) as TestUsers["admins"],
      bootstrap: cred("bootstrap-admin@example.com"),
      viewer: cred("viewer@example.com"),
      toDisable: cred("admin-to-disable@example.com"),
      lockout: cred("lockout@example.com"),
    };
    const toCreate: [Credentials, "admin" | "viewer"][] = [
      ...Object.values(users.admins).map((c) => [c, "admin"] as [Credentials, "admin"]),
      [users.toDisable, "admin"],
      [users.viewer, "viewer"],
      [users.lockout, "viewer"],
    ];
    const addUser = ([c, role]: [Credentials, "admin" | "viewer"]) =>
      runNpmScriptOk("users", ["add", "--email", c.email, "--role", role], { env: common, input: `${c.password}\n` });
    // The first run applies the migrations; PGlite allows one process at a time, Postgres several.
    await addUser(toCreate[0]!);
    const rest = toCreate.slice(1);
    const parallel = mode === "services" ? 3 : 1;
    for (let i = 0; i < rest.length; i += parallel) await Promise.all(rest.slice(i, i + parallel).map(addUser));

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const serverEnv: Record<string, string> = {
      ...common,
      NODE_ENV: "production",
      ADMIN_EMAIL: users.bootstrap.email,
      ADMIN_PASSWORD: users.bootstrap.password,
      PROVIDER_URL_POLICY: "any",
      PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
      MISTRAL_API_KEY: mistralEnvKey,
      LOG_LEVEL: "info",
    };
    for (const [type, url] of Object.entries(fake.baseUrls)) {
      if (type !== "custom") serverEnv[`PROVIDER_BASE_URL_${type.toUpperCase()}`] = url;
    }
    log = createWriteStream(logPath, { flags: "w" });
    await new Promise<void>((r) => log!.once("open", () => r()));
    const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
      cwd: process.cwd(),
      env: serverEnv as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    server = child;
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    await waitReady(baseUrl, child, logPath);
    // What a fresh deployment lists, before any test file changes anything (files may run in any order).
    const first = await new Client(baseUrl).signIn(users.bootstrap);
    const initialList = (await first.get(KEYS)).body as InitialList;
    await first.post("/api/v1/auth/logout");

    const cliEnv = { ...common };
    project.provide("mode", mode);
    project.provide("baseUrl", baseUrl);
    project.provide("logPath", logPath);
    project.provide("databaseUrl", databaseUrl);
    project.provide("dataDir", mode === "zero-setup" ? common.DATA_DIR! : "");
    project.provide("redisUrl", redisUrl);
    project.provide("encryptionKey", encryptionKey);
    project.provide("sessionSecret", sessionSecret);
    project.provide("fakeUrl", fake.url);
    project.provide("fakeBaseUrls", { ...fake.baseUrls });
    project.provide("mistralEnvKey", mistralEnvKey);
    project.provide("users", users);
    project.provide("serverPid", child.pid ?? -1);
    project.provide("cliEnv", cliEnv);
    project.provide("keysFile", keysFile);
    project.provide("timeoutMs", PROVIDER_TIMEOUT_MS);
    project.provide("initialList", initialList);
    ready = true;
  } catch (err) {
    await teardown().catch(() => {});
    throw err;
  }
  return teardown;
}
