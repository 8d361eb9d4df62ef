// Deleting custom endpoints on a real (embedded) Postgres: the "Custom Endpoint" placeholder comes
// back only when the last custom endpoint goes, and every delete is audited by its own statement.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";

let dir: string;
let lib: {
  db: typeof import("@/lib/db/client");
  keys: typeof import("@/lib/db/queries/provider-keys");
  remove: typeof import("./remove");
};
const call = { actor: { id: "00000000-0000-4000-8000-000000000001", email: "admin@example.com" }, request: { ip: "127.0.0.1", userAgent: "vitest" } };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "llmhub-remove-"));
  Object.assign(process.env, { DATA_DIR: dir, BYOK_ENCRYPTION_KEY: "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=", SESSION_SECRET: "s".repeat(40), LOG_LEVEL: "error", ADMIN_EMAIL: "" });
  delete process.env.DATABASE_URL;
  delete process.env.REDIS_URL;
  lib = { db: await import("@/lib/db/client"), keys: await import("@/lib/db/queries/provider-keys"), remove: await import("./remove") };
  await (await import("@/lib/boot")).ensureReady();
}, 60_000);

afterAll(async () => {
  await lib.db.closeDb();
  rmSync(dir, { recursive: true, force: true });
});

const customRows = async () =>
  (await lib.keys.listProviderKeyRowsByType("custom")).map((r) => ({ name: r.name, hasKey: r.encryptedKey !== null })).sort((a, b) => a.name.localeCompare(b.name));

async function storeCustom(slug: string, name: string) {
  const secret = { encryptedKey: "gAAAA-not-a-real-token", encryptionKeyId: "k1", keyPreview: "lab...0001", keyFingerprint: `fp_${slug}` };
  return (await lib.keys.upsertProviderKeyBySlug({ slug, providerType: "custom", name, config: { base_url: "http://127.0.0.1:1/v1" }, ...secret }, secret)).row.id;
}

it("keeps the placeholder away while another custom endpoint exists, and brings it back after the last", async () => {
  expect(await customRows()).toEqual([{ name: "Custom Endpoint", hasKey: false }]);
  const placeholderId = (await lib.keys.getProviderKeyBySlug("custom:custom endpoint"))!.id;
  // a key saved without a name goes into the placeholder row, which is then a custom endpoint like any other
  await storeCustom("custom:custom endpoint", "Custom Endpoint");
  const a = await storeCustom("custom:lab a", "Lab A");
  const b = await storeCustom("custom:lab b", "Lab B");

  await lib.remove.deleteProviderKey(call, placeholderId);
  expect(await customRows()).toEqual([{ name: "Lab A", hasKey: true }, { name: "Lab B", hasKey: true }]);
  await lib.remove.deleteProviderKey(call, a);
  expect(await customRows()).toEqual([{ name: "Lab B", hasKey: true }]);
  await lib.remove.deleteProviderKey(call, b);
  expect(await customRows()).toEqual([{ name: "Custom Endpoint", hasKey: false }]);

  // deleting the keyless placeholder changes nothing, and is on record all the same
  const again = (await lib.keys.getProviderKeyBySlug("custom:custom endpoint"))!.id;
  await lib.remove.deleteProviderKey(call, again);
  expect(await customRows()).toEqual([{ name: "Custom Endpoint", hasKey: false }]);
  const { sql } = await import("drizzle-orm");
  const { rowsOf } = await import("@/lib/db/rows");
  const records = rowsOf<{ target: string; detail: { name: string; had_key: boolean } }>(
    await (await lib.db.getDb()).execute(sql`select target, detail from audit_events where action = 'provider_key.delete' order by id`),
  );
  expect(records.map((r) => [r.target, r.detail])).toEqual([
    [placeholderId, { name: "Custom Endpoint", had_key: true }],
    [a, { name: "Lab A", had_key: true }],
    [b, { name: "Lab B", had_key: true }],
    [again, { name: "Custom Endpoint", had_key: false }],
  ]);
});
