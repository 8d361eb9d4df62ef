/**
 * The gateway as the integration tests use it: provider keys saved through the API (so the app
 * holds them encrypted, as in production), hub keys issued through the admin API (recorded as
 * secrets for the leak scans), the base URLs SDKs point at, and a second app instance on the same
 * database for cross-instance checks.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import path from "node:path";
import { expect, inject } from "vitest";
import type { ProviderType } from "../../lib/providers/catalogue";
import { KEYS, rowOf } from "./api";
import type { Client } from "./client";
import { providerKey, recordSecret } from "./keys";
import { freePort, logTail, stopProcess, waitReady } from "./process";

export const HUB_KEYS = "/api/v1/llm/hub-keys";
export const compatBase = (base = inject("baseUrl")) => `${base}/api/v1/llm/gateway/v1`;
export const nativeBase = (route: string, base = inject("baseUrl")) => `${base}/api/v1/llm/gateway/native/${route}`;

/** Saves a provider key (tested against the fake first) unless the provider has a stored one already. */
export async function ensureProviderKey(admin: Client, type: Exclude<ProviderType, "custom">): Promise<string> {
  const row = await rowOf(admin, type);
  if (row?.key_source === "database" && row.enabled) return row.id;
  if (row && !row.enabled) await admin.patch(`${KEYS}/${row.id}`, { enabled: true });
  if (row?.key_source === "database") return row.id;
  const res = await admin.post(KEYS, { provider_type: type, api_key: providerKey(type) });
  expect([200, 201], res.text).toContain(res.status);
  return (await rowOf(admin, type))!.id;
}

/** Saves a custom endpoint at `baseUrl` (its key test may fail: the row is saved all the same). */
export async function saveCustomEndpoint(admin: Client, name: string, baseUrl: string): Promise<string> {
  const res = await admin.post(KEYS, { provider_type: "custom", name, api_key: providerKey("custom"), config: { base_url: baseUrl } });
  expect([200, 201], res.text).toContain(res.status);
  return (await rowOf(admin, name))!.id;
}

export interface IssuedKey {
  id: string;
  key: string;
}

export async function issueHubKey(admin: Client, body: Record<string, unknown>): Promise<IssuedKey> {
  const res = await admin.post(HUB_KEYS, body);
  expect(res.status, res.text).toBe(201);
  recordSecret(res.body.key);
  return { id: res.body.hub_key.id, key: res.body.key };
}

export interface SecondInstance {
  url: string;
  logPath: string;
  stop(): Promise<void>;
}

/** Another `next start` of the built app on the same database, with extra environment. */
export async function startSecondInstance(name: string, extra: Record<string, string>): Promise<SecondInstance> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    ...inject("cliEnv"),
    NODE_ENV: "production",
    PROVIDER_URL_POLICY: "any",
    MISTRAL_API_KEY: inject("mistralEnvKey"),
    LOG_LEVEL: "info",
    HEALTH_CHECK_INTERVAL_SECONDS: "0",
    ...extra,
  };
  for (const [type, u] of Object.entries(inject("fakeBaseUrls"))) if (type !== "custom") env[`PROVIDER_BASE_URL_${type.toUpperCase()}`] = u;
  mkdirSync("test-results", { recursive: true });
  const logPath = path.resolve(`test-results/server-${name}.log`);
  const log: WriteStream = createWriteStream(logPath, { flags: "w" });
  await new Promise<void>((r) => log.once("open", () => r()));
  const child: ChildProcess = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: process.cwd(),
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  try {
    // readiness needs Redis, which some instances are started without on purpose: wait for the gateway itself
    if (extra.REDIS_URL) await waitAnswering(url, child, logPath);
    else await waitReady(url, child, logPath);
  } catch (err) {
    await stopProcess(child);
    throw err;
  }
  return {
    url,
    logPath,
    async stop() {
      await stopProcess(child);
      await new Promise<void>((r) => log.end(() => r()));
    },
  };
}

/** Until the gateway answers (401 without a key) rather than failing to connect. */
async function waitAnswering(url: string, child: ChildProcess, logPath: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}). Log tail:\n${logTail(logPath)}`);
    const status = await fetch(`${compatBase(url)}/models`).then((r) => r.status, () => 0);
    if (status === 401) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the gateway did not answer within ${timeoutMs / 1000} s. Log tail:\n${logTail(logPath)}`);
}
