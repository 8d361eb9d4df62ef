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
import type { TestProject } from "vitest/node";
import { startFakeProvider, type FakeProvider } from "../fake-provider/server";
import { addUsers, appSecrets, baseEnv, createDatabase, dropDatabase, providerBaseUrlEnv } from "../support/app-services";
import type { Credentials } from "../support/context";
import { allRecordedKeys, setKeySink } from "../support/keys";
import { scanForSecrets } from "../support/secrets-scan";
import { distDir } from "./support/app-server";
import { FAULT_ADMINS, type FaultAdmin } from "./support/context";
import { ensurePgCluster, pgUrl, pgVersion, startPg, startRedis, stopPg, stopRedis, REDIS_PORT } from "./support/services";

const DB_NAME = "llmhub_faults";
const PROVIDER_TIMEOUT_MS = 2000;

const hex = (n: number) => randomBytes(n).toString("hex");

/** The suite's database, dropped (and made afresh unless `drop`) on the faults cluster. */
async function recreateDatabase(drop: boolean): Promise<void> {
  await dropDatabase(DB_NAME, pgUrl("postgres"));
  if (!drop) await createDatabase(DB_NAME, pgUrl("postgres"));
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

    const common: Record<string, string> = {
      ...baseEnv(),
      ...appSecrets(),
      DATABASE_URL: databaseUrl,
      REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}`,
      DATA_DIR: path.join(dir, "data"),
    };

    // Admins with the CLI: the first run applies the migrations, the rest run side by side.
    const admins = Object.fromEntries(
      FAULT_ADMINS.map((p) => [p, { email: `faults-${p}@example.com`, password: `pw-${hex(12)}` }]),
    ) as Record<FaultAdmin, Credentials>;
    await addUsers(Object.values(admins).map((c) => ({ ...c, role: "admin" as const })), common, FAULT_ADMINS.length);

    const serverEnv: Record<string, string> = {
      ...common,
      NODE_ENV: "production",
      PROVIDER_URL_POLICY: "any",
      PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
      KEY_TESTS_PER_MINUTE: "10000", // the most lib/env.ts accepts; far above what a file spends
      LOG_LEVEL: "info",
      ...providerBaseUrlEnv(fake.baseUrls),
    };
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
