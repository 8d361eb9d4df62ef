/**
 * Playwright global setup: a fresh Postgres database, Redis db 8 (flushed), the fake provider in
 * this process, users created with the CLI, then the BUILT app under `next start`. What the specs
 * need (base URL, users, the fake's URL) is handed over in E2E_* environment variables, which the
 * test workers inherit. Returns the teardown.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import Redis from "ioredis";
import postgres from "postgres";
import { startFakeProvider, type FakeProvider } from "../test/fake-provider/server";
import { E2E_USERS, type E2EUsers } from "./support/users";

const PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const REDIS_URL = "redis://127.0.0.1:6379/8";
const READY_TIMEOUT_MS = 60_000;
/** Shell variables that would change the app's behaviour; the suite sets its own. */
const STRIP = /^(DATABASE_URL|REDIS_URL|DATA_DIR|BYOK_|SESSION_|ADMIN_|ALLOWED_ORIGINS|TRUST_PROXY|COOKIE_SECURE|PROVIDER_|KEY_TESTS_PER_MINUTE|LOG_LEVEL|NODE_ENV|PORT|HOSTNAME|.*_API_KEY$)/;

const hex = (n: number) => randomBytes(n).toString("hex");
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

async function waitReady(url: string, child: ChildProcess, logPath: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before it was ready:\n${tail(logPath)}`);
    try {
      const res = await fetch(`${url}/api/health/ready`);
      last = `${res.status}`;
      if (res.ok) return;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the server was not ready within ${READY_TIMEOUT_MS / 1000} s (last: ${last}):\n${tail(logPath)}`);
}

const tail = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").slice(-40).join("\n") : "(no log)");

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
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

export default async function globalSetup() {
  mkdirSync("test-results", { recursive: true });
  const logPath = path.resolve("test-results/e2e-server.log");
  const dbName = `llmhub_e2e_${hex(6)}`;
  let fake: FakeProvider | undefined;
  let server: ChildProcess | undefined;
  let dbCreated = false;

  const teardown = async () => {
    if (server) await stop(server);
    if (fake) await fake.close();
    if (dbCreated) await dropDatabase(dbName).catch((err) => console.error(`could not drop ${dbName}: ${(err as Error).message}`));
  };

  try {
    const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${dbName}"`);
    await admin.end({ timeout: 5 });
    dbCreated = true;
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await redis.flushdb();
    await redis.quit();
    fake = await startFakeProvider({ port: 0 });

    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !STRIP.test(k))) as NodeJS.ProcessEnv;
    Object.assign(env, {
      NEXT_TELEMETRY_DISABLED: "1",
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
