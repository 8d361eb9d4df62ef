/**
 * Playwright global setup: a fresh Postgres database, Redis db 8 (flushed), the fake provider in
 * this process, users created with the CLI, then the BUILT app under `next start`. What the specs
 * need (base URL, users, the fake's URL) is handed over in E2E_* environment variables, which the
 * test workers inherit. Returns the teardown.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { startFakeProvider, type FakeProvider } from "../test/fake-provider/server";
import { type AppProcess, startApp } from "../test/support/app-process";
import { addUsers, appSecrets, baseEnv, providerBaseUrlEnv, suiteServices, type SuiteServices } from "../test/support/app-services";
import { E2E_USERS, type E2EUsers } from "./support/users";

const REDIS_DB = 8;

const hex = (n: number) => randomBytes(n).toString("hex");

export default async function globalSetup() {
  mkdirSync("test-results", { recursive: true });
  const logPath = path.resolve("test-results/e2e-server.log");
  let services: SuiteServices | undefined;
  let fake: FakeProvider | undefined;
  let server: AppProcess | undefined;

  const teardown = async () => {
    await server?.stop(10_000);
    await fake?.close();
    await services?.drop();
  };

  try {
    services = await suiteServices("llmhub_e2e", REDIS_DB);
    fake = await startFakeProvider({ port: 0 });
    const env = { ...baseEnv(), ...appSecrets(), DATABASE_URL: services.databaseUrl, REDIS_URL: services.redisUrl };

    // Users first, with the CLI, against the database the server will open (the first run migrates).
    const users: E2EUsers = Object.fromEntries(
      Object.entries(E2E_USERS).map(([k, u]) => [k, { ...u, password: `pw-${hex(12)}` }]),
    ) as E2EUsers;
    await addUsers(Object.values(users), env, 3);

    server = await startApp({
      logPath,
      env: {
        ...env,
        NODE_ENV: "production",
        PROVIDER_URL_POLICY: "any",
        PROVIDER_TIMEOUT_MS: "2000",
        LOG_LEVEL: "info",
        // Environment fallbacks for two providers: the "Environment" source and its take-over on delete.
        MISTRAL_API_KEY: `mistral${hex(16)}`,
        GROQ_API_KEY: `gsk_${hex(24)}`,
        ...providerBaseUrlEnv(fake.baseUrls),
      },
    });

    process.env.E2E_BASE_URL = server.url;
    process.env.E2E_FAKE_URL = fake.url;
    process.env.E2E_USERS = JSON.stringify(users);
  } catch (err) {
    await teardown().catch(() => {});
    throw err;
  }
  return teardown;
}
