/**
 * Integration global setup: real services (or none, in zero-setup mode), the fake provider, users
 * created with the CLI, and the BUILT app under `next start`. Mode: LLMHUB_TEST_MODE = "services"
 * (default: a fresh Postgres database and Redis db) or "zero-setup" (PGlite in a temp DATA_DIR and
 * the in-process limiter).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Redis from "ioredis";
import type { TestProject } from "vitest/node";
import { startFakeProvider, type FakeProvider } from "../fake-provider/server";
import { KEYS } from "../support/api";
import { Client } from "../support/client";
import { runNpmScriptOk } from "../support/cli";
import { ADMIN_PURPOSES, type Credentials, type InitialList, type TestMode, type TestUsers } from "../support/context";
import { allRecordedKeys, providerKey, setKeySink } from "../support/keys";
import { baseEnv, createDatabase, dropDatabase, freePort, stopProcess, waitReady } from "../support/process";
import { scanForSecrets } from "../support/secrets-scan";

const REDIS_DB = Number(process.env.LLMHUB_IT_REDIS_DB ?? 7);
const PROVIDER_TIMEOUT_MS = 1500;

const hex = (n: number) => randomBytes(n).toString("hex");
/** A Fernet key: 32 random bytes, url-safe base64 with padding. */
const fernetKey = () => randomBytes(32).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");


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
      await createDatabase(dbName);
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
      // webhook retries in a fraction of a second (base x 2^n), so the retry test runs quickly
      WEBHOOK_RETRY_BASE_SECONDS: "0.3",
      WEBHOOK_TIMEOUT_MS: "2000",
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
