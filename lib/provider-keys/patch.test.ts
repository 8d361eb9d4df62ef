// Moving a custom endpoint on a real (embedded) Postgres: a stored key only moves to another origin
// with the key sent again, a keyless row moves freely, and the write is a compare-and-set on the key
// and base URL that were checked (a save landing in between makes it write nothing).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";

let dir: string;
let lib: {
  db: typeof import("@/lib/db/client");
  keys: typeof import("@/lib/db/queries/provider-keys");
  patch: typeof import("./patch");
  secrets: typeof import("@/lib/config/secrets");
};
const call = { actor: { id: "00000000-0000-4000-8000-000000000001", email: "admin@example.com" }, request: { ip: "127.0.0.1", userAgent: "vitest" } };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "llmhub-patch-"));
  Object.assign(process.env, { DATA_DIR: dir, BYOK_ENCRYPTION_KEY: "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=", SESSION_SECRET: "s".repeat(40), LOG_LEVEL: "error", ADMIN_EMAIL: "", PROVIDER_URL_POLICY: "any" });
  delete process.env.DATABASE_URL;
  delete process.env.REDIS_URL;
  lib = {
    db: await import("@/lib/db/client"),
    keys: await import("@/lib/db/queries/provider-keys"),
    patch: await import("./patch"),
    secrets: await import("@/lib/config/secrets"),
  };
  await (await import("@/lib/boot")).ensureReady();
}, 60_000);

afterAll(async () => {
  await lib.db.closeDb();
  rmSync(dir, { recursive: true, force: true });
});

async function storeCustom(name: string, key: string, baseUrl: string) {
  const ring = lib.secrets.getKeyring();
  const { token, keyId } = ring.encrypt(key);
  const secret = { encryptedKey: token, encryptionKeyId: keyId, keyPreview: "***", keyFingerprint: ring.fingerprint(key) };
  const slug = `custom:${name.toLowerCase()}`;
  return (await lib.keys.upsertProviderKeyBySlug({ slug, providerType: "custom", name, config: { base_url: baseUrl }, ...secret }, { ...secret, config: { base_url: baseUrl } })).row.id;
}
const storedKey = async (id: string) => {
  const row = (await lib.keys.getProviderKeyById(id))!;
  return { key: row.encryptedKey && lib.secrets.getKeyring().decrypt(row.encryptedKey, row.encryptionKeyId), baseUrl: row.config.base_url };
};
const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e: { code?: string }) => e.code ?? String(e));

it("moves a stored key to another origin only with the key sent again; a new path keeps it", async () => {
  const id = await storeCustom("Lab", "lab-key-0000000001", "http://127.0.0.1:9001/v1");
  expect(await codeOf(lib.patch.patchProviderKey(call, id, { config: { base_url: "http://127.0.0.1:9002/v1" } }))).toBe("key_required_for_new_base_url");
  expect(await storedKey(id)).toEqual({ key: "lab-key-0000000001", baseUrl: "http://127.0.0.1:9001/v1" });

  await lib.patch.patchProviderKey(call, id, { config: { base_url: "http://127.0.0.1:9001/lab/v1" } });
  expect(await storedKey(id)).toEqual({ key: "lab-key-0000000001", baseUrl: "http://127.0.0.1:9001/lab/v1" });

  const moved = await lib.patch.patchProviderKey(call, id, { config: { base_url: "http://127.0.0.1:9002/v1" }, api_key: "lab-key-0000000002" });
  expect(moved).toMatchObject({ health_status: "unknown", key_preview: "***" });
  expect(await storedKey(id)).toEqual({ key: "lab-key-0000000002", baseUrl: "http://127.0.0.1:9002/v1" });
});

it("moves the keyless placeholder without a key", async () => {
  const placeholder = (await lib.keys.getProviderKeyBySlug("custom:custom endpoint"))!;
  expect(placeholder.encryptedKey).toBeNull();
  await lib.patch.patchProviderKey(call, placeholder.id, { config: { base_url: "http://127.0.0.1:9003/v1" } });
  expect(await storedKey(placeholder.id)).toEqual({ key: null, baseUrl: "http://127.0.0.1:9003/v1" });
});

it("writes a move that keeps the key only while the row still holds the key and URL that were checked", async () => {
  const id = await storeCustom("Race", "race-key-000000001", "http://127.0.0.1:9004/v1");
  const checked = (await lib.keys.getProviderKeyById(id))!;
  // a save lands between the check and the write: a new key for the old address
  await storeCustom("Race", "race-key-000000002", "http://127.0.0.1:9004/v1");
  const stale = { encryptedKey: checked.encryptedKey, baseUrl: "http://127.0.0.1:9004/v1" };
  expect(await lib.keys.updateProviderKeyById(id, { config: { base_url: "http://127.0.0.1:9004/other/v1" } }, undefined, stale)).toBeUndefined();
  expect(await storedKey(id)).toEqual({ key: "race-key-000000002", baseUrl: "http://127.0.0.1:9004/v1" });
  const current = { encryptedKey: (await lib.keys.getProviderKeyById(id))!.encryptedKey, baseUrl: "http://127.0.0.1:9004/v1" };
  expect(await lib.keys.updateProviderKeyById(id, { config: { base_url: "http://127.0.0.1:9004/other/v1" } }, undefined, current)).toBeDefined();
  expect(await storedKey(id)).toEqual({ key: "race-key-000000002", baseUrl: "http://127.0.0.1:9004/other/v1" });
});
