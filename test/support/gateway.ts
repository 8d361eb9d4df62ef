/**
 * The gateway as the integration tests use it: provider keys saved through the API (so the app
 * holds them encrypted, as in production), hub keys issued through the admin API (recorded as
 * secrets for the leak scans), the base URLs SDKs point at, and a second app instance on the same
 * database for cross-instance checks.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, inject } from "vitest";
import type { ProviderType } from "../../lib/providers/catalogue";
import { KEYS, rowOf } from "./api";
import type { Client } from "./client";
import { providerKey, recordSecret } from "./keys";
import { spawnApp, waitForHttp, waitReady } from "./app-process";

export const HUB_KEYS = "/api/v1/llm/hub-keys";
export const compatBase = (base = inject("baseUrl")) => `${base}/api/v1/llm/gateway/v1`;
export const nativeBase = (route: string, base = inject("baseUrl")) => `${base}/api/v1/llm/gateway/native/${route}`;

/**
 * Stores a working provider key for `type` (tested against the fake first) and enables the row.
 * Always saved afresh: earlier files of the suite leave keys the fake refuses (revoked, invalid)
 * on the same database.
 */
export async function ensureProviderKey(admin: Client, type: Exclude<ProviderType, "custom">): Promise<string> {
  const res = await admin.post(KEYS, { provider_type: type, api_key: providerKey(type) });
  expect([200, 201], res.text).toContain(res.status);
  const row = (await rowOf(admin, type))!;
  if (!row.enabled) await admin.patch(`${KEYS}/${row.id}`, { enabled: true });
  return row.id;
}

/** Makes `type` use the environment's key: a stored key (left by an earlier file) is deleted. */
export async function useEnvironmentKey(admin: Client, type: Exclude<ProviderType, "custom">): Promise<void> {
  let row = await rowOf(admin, type);
  if (row?.key_source === "database") {
    const res = await admin.delete(`${KEYS}/${row.id}`);
    expect(res.status, res.text).toBe(200);
    row = await rowOf(admin, type);
  }
  expect(row?.key_source, `${type} falls back to its environment key`).toBe("environment");
  if (!row!.enabled) await admin.patch(`${KEYS}/${row!.id}`, { enabled: true });
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

/** Another `npm start` of the built app on the same database, with extra environment. */
export async function startSecondInstance(name: string, extra: Record<string, string>): Promise<SecondInstance> {
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
  const app = await spawnApp({ env, logPath, name });
  try {
    // an instance given its own (dead, on purpose) Redis is never ready: wait for the gateway to answer
    if (extra.REDIS_URL) await waitForHttp(app, `${compatBase(app.url)}/models`, (s) => s === 401);
    else await waitReady(app);
  } catch (err) {
    await app.stop();
    throw err;
  }
  return { url: app.url, logPath, stop: () => app.stop() };
}
