/**
 * Fault-injection suite global setup. Everything it runs is its own, never the machine's main
 * services: the "faults" Postgres cluster on 5439 (created here when missing) with a fresh
 * database, a redis-server on 6391, the fake provider, admins created with the users CLI, and the
 * environment for the BUILT app, which each test file starts under `next start` for itself.
 * Teardown stops all of it, drops the database and stops the cluster (which stays created: it is
 * cheap), then scans the server log and the database for secrets.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { startFakeProvider, type FakeProvider } from "../fake-provider/server";
import { runNpmScriptOk } from "../support/cli";
import type { Credentials } from "../support/context";
import { allRecordedKeys, setKeySink } from "../support/keys";
import { scanForSecrets } from "../support/secrets-scan";
import { distDir } from "./support/app-server";
import { FAULT_ADMINS, type FaultAdmin } from "./support/context";
import { ensurePgCluster, pgUrl, pgVersion, startPg, startRedis, stopPg, stopRedis, REDIS_PORT } from "./support/services";

const DB_NAME = "llmhub_faults";
const PROVIDER_TIMEOUT_MS = 2000;

/** Variables of the calling shell that would change the app's behaviour; the suite sets its own. */
const STRIP = /^(DATABASE_URL|REDIS_URL|DATA_DIR|BYOK_|SESSION_|ADMIN_|ALLOWED_ORIGINS|TRUST_PROXY|COOKIE_SECURE|PROVIDER_|KEY_TESTS_PER_MINUTE|LOG_LEVEL|NODE_ENV|PORT|HOSTNAME|VITEST|NEXT_DIST_DIR|.*_API_KEY$)/;

const hex = (n: number) => randomBytes(n).toString("hex");
const fernetKey = () => randomBytes(32).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");

async function recreateDatabase(drop: boolean): Promise<void> {
  const sql = postgres(pgUrl("postgres"), { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${DB_NAME} and pid <> pg_backend_pid()`;
    await sql.unsafe(`drop database if exists "${DB_NAME}"`);
    if (!drop) await sql.unsafe(`create database "${DB_NAME}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export default async function setup(project: TestProject) {
  mkdirSync("test-results", { recursive: true });
  const logPath = path.resolve("test-results/server-faults.log");
  const dir = mkdtempSync(path.join(tmpdir(), "llmhub-faults-"));
  const keysFile = path.join(dir, "keys.jsonl");
  writeFileSync(keysFile, "");
  setKeySink(keysFile);
  const version = pgVersion();
  const databaseUrl = pgUrl(DB_NAME);

  let fake: FakeProvider | undefined;
  let dbCreated = false;
  let ready = false;

  const teardown = async () => {
    const errors: string[] = [];
    const step = async (what: string, fn: () => Promise<unknown>) => {
      await fn().catch((err: Error) => errors.push(`${what}: ${err.message}`));
    };
    // App instances are stopped by their files; one that a crashed worker left behind is stopped here.
    const pids = path.join(dir, "app.pids");
    for (const pid of existsSync(pids) ? readFileSync(pids, "utf8").split("\n").filter(Boolean).map(Number) : []) {
      try {
        // only if that PID is still a Next server (not a reused PID)
        if (/next/.test(readFileSync(`/proc/${pid}/cmdline`, "utf8"))) process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    if (fake) await step("stop the fake provider", () => fake!.close());
    // A test that failed half-way may have left Postgres stopped or Redis down.
    await step("start Postgres for the final checks", () => startPg(version));
    const problems = ready ? await scanForSecrets({ logPath, databaseUrl, keys: allRecordedKeys() }).catch((e: Error) => [e.message]) : [];
    if (dbCreated) await step(`drop ${DB_NAME}`, () => recreateDatabase(true));
    await step("stop Redis", () => stopRedis());
    await step("stop the faults cluster", () => stopPg(version));
    rmSync(dir, { recursive: true, force: true });
    if (errors.length) console.error(`fault suite teardown:\n  ${errors.join("\n  ")}`);
    if (problems.length) throw new Error(`secret scan after the fault suite:\n  ${problems.join("\n  ")}`);
  };

  try {
    const buildId = path.resolve(distDir(), "BUILD_ID");
    if (!existsSync(buildId)) throw new Error(`${buildId} is missing: build the app first (npx next build)`);
    writeFileSync(logPath, "");
    await ensurePgCluster(version);
    await startPg(version);
    await recreateDatabase(false);
    dbCreated = true;
    await stopRedis(); // a server left on the port by an aborted run
    await startRedis(dir);
    fake = await startFakeProvider({ port: 0 });

    const base: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !STRIP.test(k)) base[k] = v;
    const common: Record<string, string> = {
      ...base,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}`,
      BYOK_ENCRYPTION_KEY: fernetKey(),
      SESSION_SECRET: randomBytes(32).toString("base64url"),
      DATA_DIR: path.join(dir, "data"),
    };

    // Admins with the CLI: the first run applies the migrations, the rest run side by side.
    const admins = Object.fromEntries(
      FAULT_ADMINS.map((p) => [p, { email: `faults-${p}@example.com`, password: `pw-${hex(12)}` }]),
    ) as Record<FaultAdmin, Credentials>;
    const add = (c: Credentials) =>
      runNpmScriptOk("users", ["add", "--email", c.email, "--role", "admin"], { env: common, input: `${c.password}\n` });
    const [first, ...rest] = Object.values(admins);
    await add(first!);
    await Promise.all(rest.map(add));

    const serverEnv: Record<string, string> = {
      ...common,
      NODE_ENV: "production",
      PROVIDER_URL_POLICY: "any",
      PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
      KEY_TESTS_PER_MINUTE: "10000", // the most lib/env.ts accepts; far above what a file spends
      LOG_LEVEL: "info",
    };
    for (const [type, url] of Object.entries(fake.baseUrls)) {
      if (type !== "custom") serverEnv[`PROVIDER_BASE_URL_${type.toUpperCase()}`] = url;
    }
    project.provide("faultsServerEnv", serverEnv);
    project.provide("logPath", logPath);
    project.provide("databaseUrl", databaseUrl);
    project.provide("keysFile", keysFile);
    project.provide("timeoutMs", PROVIDER_TIMEOUT_MS);
    project.provide("fakeUrl", fake.url);
    project.provide("fakeBaseUrls", { ...fake.baseUrls });
    project.provide("faultsAdmins", admins);
    project.provide("faultsDir", dir);
    project.provide("faultsPgVersion", version);
    project.provide("faultsFakePort", fake.port);
    ready = true;
  } catch (err) {
    await teardown().catch(() => {});
    throw err;
  }
  return teardown;
}
