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
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Redis from "ioredis";
import type { TestProject } from "vitest/node";
import { startFakeProvider, type FakeProvider } from "../fake-provider/server";
import { runNpmScriptOk } from "../support/cli";
import type { Credentials } from "../support/context";
import { allRecordedKeys, providerKey, setKeySink } from "../support/keys";
import { scanForSecrets } from "../support/secrets-scan";
import { SEC_ADMINS, type SecUsers } from "./support/context";
import { allowedLocalAddress, startLanServer, type LanServer } from "./support/listeners";
import { baseEnv, createDatabase, dropDatabase, freePort, stopProcess, waitReady } from "../support/process";

const REDIS_DB = 10;
const PROVIDER_TIMEOUT_MS = 1500;

const hex = (n: number) => randomBytes(n).toString("hex");
const fernetKey = () => randomBytes(32).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");

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
  let server: ChildProcess | undefined;
  let proxied: ChildProcess | undefined;
  let log: ReturnType<typeof createWriteStream> | undefined;
  let proxiedLog: ReturnType<typeof createWriteStream> | undefined;
  const proxiedLogPath = path.resolve("test-results/server-security-proxied.log");
  const dbName = `llmhub_sec_${hex(6)}`;
  let dbCreated = false;
  let ready = false;

  const teardown = async () => {
    await Promise.all([server, proxied].map((p) => p && stopProcess(p)));
    await Promise.all([log, proxiedLog].map((l) => l && new Promise<void>((r) => l.end(() => r()))));
    await fake?.close();
    await lan?.close();
    const databaseUrl = `postgres://postgres@127.0.0.1:5432/${dbName}`;
    const problems = ready
      ? [...(await scanForSecrets({ logPath, databaseUrl, keys: allRecordedKeys() })), ...(await scanForSecrets({ logPath: proxiedLogPath, keys: allRecordedKeys() }))]
      : [];
    if (dbCreated) await dropDatabase(dbName).catch((err) => console.error(`could not drop ${dbName}: ${(err as Error).message}`));
    rmSync(tmp, { recursive: true, force: true });
    if (problems.length) throw new Error(`secret scan after the run:\n  ${problems.join("\n  ")}`);
  };

  try {
    const encryptionKey = fernetKey();
    const sessionSecret = randomBytes(32).toString("base64url");
    await createDatabase(dbName);
    dbCreated = true;
    const databaseUrl = `postgres://postgres@127.0.0.1:5432/${dbName}`;
    const redisUrl = `redis://127.0.0.1:6379/${REDIS_DB}`;
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    await redis.flushdb();
    await redis.quit();
    const common: Record<string, string> = {
      ...baseEnv(),
      BYOK_ENCRYPTION_KEY: encryptionKey,
      SESSION_SECRET: sessionSecret,
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
    const toCreate: [Credentials, "admin" | "viewer"][] = [
      ...Object.values(users.admins).map((c) => [c, "admin"] as [Credentials, "admin"]),
      [users.toDisable, "admin"],
      [users.viewer, "viewer"],
    ];
    const addUser = ([c, role]: [Credentials, "admin" | "viewer"]) =>
      runNpmScriptOk("users", ["add", "--email", c.email, "--role", role], { env: common, input: `${c.password}\n` });
    await addUser(toCreate[0]!); // applies the migrations
    await Promise.all(toCreate.slice(1).map(addUser));

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
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
    };
    for (const [type, url] of Object.entries(fake.baseUrls)) {
      if (type !== "custom") serverEnv[`PROVIDER_BASE_URL_${type.toUpperCase()}`] = url;
    }
    const proxiedPort = await freePort();
    const proxiedUrl = `http://127.0.0.1:${proxiedPort}`;
    const proxiedEnv: Record<string, string> = { ...serverEnv, TRUST_PROXY: "1", PROVIDER_URL_POLICY: "any" };
    delete proxiedEnv.KEY_TESTS_PER_MINUTE; // the default, 10
    const start = async (env: Record<string, string>, p: number, file: string) => {
      const out = createWriteStream(file, { flags: "w" });
      await new Promise<void>((r) => out.once("open", () => r()));
      const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(p), "-H", "127.0.0.1"], {
        cwd: process.cwd(),
        env: env as NodeJS.ProcessEnv,
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout!.pipe(out, { end: false });
      child.stderr!.pipe(out, { end: false });
      return { child, out };
    };
    ({ child: server, out: log } = await start(serverEnv, port, logPath));
    ({ child: proxied, out: proxiedLog } = await start(proxiedEnv, proxiedPort, proxiedLogPath));
    await Promise.all([waitReady(baseUrl, server, logPath), waitReady(proxiedUrl, proxied, proxiedLogPath)]);
    const probe = await fetch(`${baseUrl}/api/v1/llm/providers/keys/${randomUUID()}/health`, { headers: { "user-agent": "llmhub-sec-setup" } });

    const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
    console.log(`security suite: fuzz seed ${seed} (FUZZ_SEED=${seed} reproduces this run); allowed custom endpoint: ${lan?.url ?? "none"}`);
    project.provide("mode", "services");
    project.provide("baseUrl", baseUrl);
    project.provide("logPath", logPath);
    project.provide("databaseUrl", databaseUrl);
    project.provide("dataDir", "");
    project.provide("redisUrl", redisUrl);
    project.provide("encryptionKey", encryptionKey);
    project.provide("sessionSecret", sessionSecret);
    project.provide("fakeUrl", fake.url);
    project.provide("fakeBaseUrls", { ...fake.baseUrls });
    project.provide("serverPid", server.pid ?? -1);
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
