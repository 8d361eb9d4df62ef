/**
 * Integration global setup: real services (or none, in zero-setup mode), the fake provider, users
 * created with the CLI, and the BUILT app under `next start`. Mode: LLMHUB_TEST_MODE = "services"
 * (default: a fresh Postgres database and Redis db) or "zero-setup" (PGlite in a temp DATA_DIR and
 * the in-process limiter).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startFakeProvider, type FakeProvider } from "../fake-provider/server";
import { KEYS } from "../support/api";
import { type AppProcess, startApp } from "../support/app-process";
import { addUsers, appSecrets, baseEnv, type NewUser, providerBaseUrlEnv, suiteServices, type SuiteServices } from "../support/app-services";
import { Client } from "../support/client";
import { ADMIN_PURPOSES, type Credentials, type InitialList, type TestMode, type TestUsers } from "../support/context";
import { allRecordedKeys, providerKey, setKeySink } from "../support/keys";
import { scanForSecrets } from "../support/secrets-scan";

const REDIS_DB = Number(process.env.LLMHUB_IT_REDIS_DB ?? 7);
const PROVIDER_TIMEOUT_MS = 1500;

const hex = (n: number) => randomBytes(n).toString("hex");

export default async function setup(project: TestProject) {
  const mode: TestMode = process.env.LLMHUB_TEST_MODE === "zero-setup" ? "zero-setup" : "services";
  mkdirSync("test-results", { recursive: true });
  const logPath = path.resolve(`test-results/server-${mode}.log`);
  const tmp = mkdtempSync(path.join(tmpdir(), "llmhub-it-"));
  const keysFile = path.join(tmp, "keys.jsonl");
  writeFileSync(keysFile, "");
  setKeySink(keysFile);

  let fake: FakeProvider | undefined;
  let server: AppProcess | undefined;
  let services: SuiteServices | undefined;

  let ready = false;
  const teardown = async () => {
    await server?.stop();
    await fake?.close();
    // The last word on secrets: the complete log and the final database, whatever order the files ran in.
    const problems = ready ? await scanForSecrets({ logPath, databaseUrl: services?.databaseUrl, keys: allRecordedKeys() }) : [];
    await services?.drop();
    rmSync(tmp, { recursive: true, force: true });
    if (problems.length) throw new Error(`secret scan after the run:\n  ${problems.join("\n  ")}`);
  };

  try {
    const secrets = appSecrets();
    const common: Record<string, string> = { ...baseEnv(), ...secrets, DATA_DIR: path.join(tmp, "data") };
    if (mode === "services") {
      services = await suiteServices("llmhub_it", REDIS_DB);
      Object.assign(common, { DATABASE_URL: services.databaseUrl, REDIS_URL: services.redisUrl });
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
    const toCreate: NewUser[] = [
      ...Object.values(users.admins).map((c) => ({ ...c, role: "admin" as const })),
      { ...users.toDisable, role: "admin" },
      { ...users.viewer, role: "viewer" },
      { ...users.lockout, role: "viewer" },
    ];
    // PGlite allows one process at a time, Postgres several.
    await addUsers(toCreate, common, mode === "services" ? 3 : 1);

    const serverEnv: Record<string, string> = {
      ...common,
      NODE_ENV: "production",
      ADMIN_EMAIL: users.bootstrap.email,
      ADMIN_PASSWORD: users.bootstrap.password,
      PROVIDER_URL_POLICY: "any",
      PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
      MISTRAL_API_KEY: mistralEnvKey,
      LOG_LEVEL: "info",
      // webhook retries in a fraction of a second (base x 2^n), so the retry test runs quickly
      WEBHOOK_RETRY_BASE_SECONDS: "0.3",
      WEBHOOK_TIMEOUT_MS: "2000",
      ...providerBaseUrlEnv(fake.baseUrls),
    };
    server = await startApp({ logPath, env: serverEnv });
    const baseUrl = server.url;
    // What a fresh deployment lists, before any test file changes anything (files may run in any order).
    const first = await new Client(baseUrl).signIn(users.bootstrap);
    const initialList = (await first.get(KEYS)).body as InitialList;
    await first.post("/api/v1/auth/logout");

    const cliEnv = { ...common };
    project.provide("mode", mode);
    project.provide("baseUrl", baseUrl);
    project.provide("logPath", logPath);
    project.provide("databaseUrl", services?.databaseUrl ?? "");
    project.provide("dataDir", mode === "zero-setup" ? common.DATA_DIR! : "");
    project.provide("redisUrl", services?.redisUrl ?? "");
    project.provide("encryptionKey", secrets.BYOK_ENCRYPTION_KEY);
    project.provide("sessionSecret", secrets.SESSION_SECRET);
    project.provide("fakeUrl", fake.url);
    project.provide("fakeBaseUrls", { ...fake.baseUrls });
    project.provide("mistralEnvKey", mistralEnvKey);
    project.provide("users", users);
    project.provide("serverPid", server.proc.pid ?? -1);
    project.provide("cliEnv", cliEnv);
    project.provide("serverEnv", serverEnv);
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
