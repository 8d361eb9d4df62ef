/**
 * Security suite global setup: a fresh Postgres database (llmhub_sec_<random>, dropped after),
 * Redis db 10 (flushed), the fake provider on loopback for the built-in providers, a custom endpoint
 * on a non-loopback address the default policy allows, users created with the CLI, and the BUILT app
 * under `next start` with the DEFAULT url policy (`private`: loopback custom URLs are refused) and a
 * key-test budget high enough for fuzzing. A second instance of the same build shares the database
 * and Redis, as instances behind a load balancer do, but runs as configured behind one proxy
 * (`TRUST_PROXY=1`, so each test names its client address in X-Forwarded-For like a proxy would)
 * with the default rate limits, for the files that burst against those limits.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startFakeProvider, type FakeProvider } from "../fake-provider/server";
import { type AppProcess, spawnApp, waitReady } from "../support/app-process";
import { addUsers, appSecrets, baseEnv, type NewUser, providerBaseUrlEnv, suiteServices, type SuiteServices } from "../support/app-services";
import type { Credentials } from "../support/context";
import { allRecordedKeys, providerKey, setKeySink } from "../support/keys";
import { scanForSecrets } from "../support/secrets-scan";
import { SEC_ADMINS, type SecUsers } from "./support/context";
import { allowedLocalAddress, startLanServer, type LanServer } from "./support/listeners";

const REDIS_DB = 10;
const PROVIDER_TIMEOUT_MS = 1500;

const hex = (n: number) => randomBytes(n).toString("hex");

export default async function setup(project: TestProject) {
  mkdirSync("test-results", { recursive: true });
  const logPath = path.resolve("test-results/server-security.log");
  const tmp = mkdtempSync(path.join(tmpdir(), "llmhub-sec-"));
  const keysFile = path.join(tmp, "keys.jsonl");
  const tallyFile = path.join(tmp, "tally.jsonl");
  writeFileSync(keysFile, "");
  writeFileSync(tallyFile, "");
  setKeySink(keysFile);

  let fake: FakeProvider | undefined;
  let lan: LanServer | undefined;
  let services: SuiteServices | undefined;
  let server: AppProcess | undefined;
  let proxied: AppProcess | undefined;
  const proxiedLogPath = path.resolve("test-results/server-security-proxied.log");
  let ready = false;

  const teardown = async () => {
    await Promise.all([server?.stop(), proxied?.stop()]);
    await fake?.close();
    await lan?.close();
    const problems = ready
      ? [
          ...(await scanForSecrets({ logPath, databaseUrl: services?.databaseUrl, keys: allRecordedKeys() })),
          ...(await scanForSecrets({ logPath: proxiedLogPath, keys: allRecordedKeys() })),
        ]
      : [];
    await services?.drop();
    rmSync(tmp, { recursive: true, force: true });
    if (problems.length) throw new Error(`secret scan after the run:\n  ${problems.join("\n  ")}`);
  };

  try {
    const secrets = appSecrets();
    services = await suiteServices("llmhub_sec", REDIS_DB);
    const { databaseUrl, redisUrl } = services;
    const common: Record<string, string> = {
      ...baseEnv(),
      ...secrets,
      DATA_DIR: path.join(tmp, "data"),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
    };

    fake = await startFakeProvider({ port: 0 });
    const allowed = allowedLocalAddress();
    if (allowed) lan = await startLanServer(allowed.host);

    const cred = (email: string): Credentials => ({ email, password: `pw-${hex(12)}` });
    const users: SecUsers = {
      admins: Object.fromEntries(SEC_ADMINS.map((p) => [p, cred(`sec-${p}@sec.example`)])) as SecUsers["admins"],
      viewer: cred("sec-viewer@sec.example"),
      toDisable: cred("sec-disable@sec.example"),
    };
    const toCreate: NewUser[] = [
      ...Object.values(users.admins).map((c) => ({ ...c, role: "admin" as const })),
      { ...users.toDisable, role: "admin" },
      { ...users.viewer, role: "viewer" },
    ];
    await addUsers(toCreate, common, toCreate.length); // the first applies the migrations, then all the rest at once

    const serverEnv: Record<string, string> = {
      ...common,
      NODE_ENV: "production",
      PROVIDER_URL_POLICY: "private",
      PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
      KEY_TESTS_PER_MINUTE: "10000",
      MISTRAL_API_KEY: providerKey("mistral"),
      LOG_LEVEL: "info",
      // background key checks would change rows while a batch of rejected requests must change nothing
      HEALTH_CHECK_INTERVAL_SECONDS: "0",
      ...providerBaseUrlEnv(fake.baseUrls),
    };
    const proxiedEnv: Record<string, string> = { ...serverEnv, TRUST_PROXY: "1", PROVIDER_URL_POLICY: "any" };
    delete proxiedEnv.KEY_TESTS_PER_MINUTE; // the default, 10
    server = await spawnApp({ env: serverEnv, logPath, name: "the app" });
    proxied = await spawnApp({ env: proxiedEnv, logPath: proxiedLogPath, name: "the proxied instance" });
    await Promise.all([waitReady(server), waitReady(proxied)]);
    const baseUrl = server.url;
    const proxiedUrl = proxied.url;
    const probe = await fetch(`${baseUrl}/api/v1/llm/providers/keys/${randomUUID()}/health`, { headers: { "user-agent": "llmhub-sec-setup" } });

    const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
    console.log(`security suite: fuzz seed ${seed} (FUZZ_SEED=${seed} reproduces this run); allowed custom endpoint: ${lan?.url ?? "none"}`);
    project.provide("mode", "services");
    project.provide("baseUrl", baseUrl);
    project.provide("logPath", logPath);
    project.provide("databaseUrl", databaseUrl);
    project.provide("dataDir", "");
    project.provide("redisUrl", redisUrl);
    project.provide("encryptionKey", secrets.BYOK_ENCRYPTION_KEY);
    project.provide("sessionSecret", secrets.SESSION_SECRET);
    project.provide("fakeUrl", fake.url);
    project.provide("fakeBaseUrls", { ...fake.baseUrls });
    project.provide("serverPid", server.proc.pid ?? -1);
    project.provide("cliEnv", { ...common });
    project.provide("keysFile", keysFile);
    project.provide("timeoutMs", PROVIDER_TIMEOUT_MS);
    project.provide("secUsers", users);
    project.provide("lanUrl", lan?.url ?? "");
    project.provide("lanHost", allowed?.host ?? "");
    project.provide("tallyFile", tallyFile);
    project.provide("fuzzSeed", seed);
    project.provide("hasHealthRoute", probe.status === 401);
    project.provide("proxiedUrl", proxiedUrl);
    project.provide("proxiedLogPath", proxiedLogPath);
    ready = true;
  } catch (err) {
    await teardown().catch(() => {});
    throw err;
  }
  return teardown;
}
