/**
 * Playwright global setup: a fresh Postgres database, Redis db 8 (flushed), the fake provider in
 * this process, users created with the CLI, then the BUILT app under `next start`. What the specs
 * need (base URL, users, the fake's URL) is handed over in E2E_* environment variables, which the
 * test workers inherit. Returns the teardown.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import Redis from "ioredis";
import { startFakeProvider, type FakeProvider } from "../test/fake-provider/server";
import { baseEnv, createDatabase, dropDatabase, freePort, stopProcess, waitReady } from "../test/support/process";
import { E2E_USERS, type E2EUsers } from "./support/users";

const REDIS_URL = "redis://127.0.0.1:6379/8";

const hex = (n: number) => randomBytes(n).toString("hex");
const fernetKey = () => randomBytes(32).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}\n${out}`))));
    child.stdin.end(input);
  });
}

export default async function globalSetup() {
  mkdirSync("test-results", { recursive: true });
  const logPath = path.resolve("test-results/e2e-server.log");
  const dbName = `llmhub_e2e_${hex(6)}`;
  let fake: FakeProvider | undefined;
  let server: ChildProcess | undefined;
  let dbCreated = false;

  const teardown = async () => {
    if (server) await stopProcess(server, 10_000);
    if (fake) await fake.close();
    if (dbCreated) await dropDatabase(dbName).catch((err) => console.error(`could not drop ${dbName}: ${(err as Error).message}`));
  };

  try {
    await createDatabase(dbName);
    dbCreated = true;
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await redis.flushdb();
    await redis.quit();
    fake = await startFakeProvider({ port: 0 });

    const env = baseEnv() as NodeJS.ProcessEnv;
    Object.assign(env, {
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${dbName}`,
      REDIS_URL,
      BYOK_ENCRYPTION_KEY: fernetKey(),
      SESSION_SECRET: randomBytes(32).toString("base64url"),
    });

    // Users first, with the CLI, against the database the server will open (the first run migrates).
    const users: E2EUsers = Object.fromEntries(
      Object.entries(E2E_USERS).map(([k, u]) => [k, { ...u, password: `pw-${hex(12)}` }]),
    ) as E2EUsers;
    const add = (u: E2EUsers[keyof E2EUsers]) => run("npm", ["run", "--silent", "users", "--", "add", "--email", u.email, "--role", u.role], env, `${u.password}\n`);
    const all = Object.values(users);
    await add(all[0]!);
    for (let i = 1; i < all.length; i += 3) await Promise.all(all.slice(i, i + 3).map(add));

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const serverEnv: NodeJS.ProcessEnv = {
      ...env,
      NODE_ENV: "production",
      PROVIDER_URL_POLICY: "any",
      PROVIDER_TIMEOUT_MS: "2000",
      LOG_LEVEL: "info",
      // Environment fallbacks for two providers: the "Environment" source and its take-over on delete.
      MISTRAL_API_KEY: `mistral${hex(16)}`,
      GROQ_API_KEY: `gsk_${hex(24)}`,
    };
    for (const [type, url] of Object.entries(fake.baseUrls)) {
      if (type !== "custom") serverEnv[`PROVIDER_BASE_URL_${type.toUpperCase()}`] = url;
    }
    const log = createWriteStream(logPath, { flags: "w" });
    server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
      env: serverEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout!.pipe(log, { end: false });
    server.stderr!.pipe(log, { end: false });
    await waitReady(baseUrl, server, logPath);

    process.env.E2E_BASE_URL = baseUrl;
    process.env.E2E_FAKE_URL = fake.url;
    process.env.E2E_USERS = JSON.stringify(users);
  } catch (err) {
    await teardown().catch(() => {});
    throw err;
  }
  return teardown;
}
