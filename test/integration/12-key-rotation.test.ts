// Contract section 9: `npm run keys:rotate` re-encrypts every stored key under the newest key;
// --dry-run writes nothing; a second run finds nothing to do. Afterwards the keys are rotated back
// so that the running server (which knows only the original key) can use them again.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createKeyring, keyIdOf } from "../../lib/crypto/keyring";
import { saveKey, testKey } from "../support/api";
import { type Client, signedIn } from "../support/client";
import { runNpmScript } from "../support/cli";
import { admin, isServices, PGLITE_HELD } from "../support/context";
import { withSql } from "../support/db";
import { allRecordedKeys, providerKey, recordSecret } from "../support/keys";

const oldKey = () => inject("encryptionKey");
const newKey = randomBytes(32).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
const saved = new Map<string, string>(); // provider id -> plaintext

type Row = { id: string; name: string; encrypted_key: string; encryption_key_id: string; key_fingerprint: string };
const storedRows = () =>
  withSql((sql) => sql<Row[]>`select id, name, encrypted_key, encryption_key_id, key_fingerprint from provider_keys where encrypted_key is not null order by id`);

const rotate = (primary: string, previous: string, args: string[] = []) =>
  runNpmScript("keys:rotate", args, { env: { ...inject("cliEnv"), BYOK_ENCRYPTION_KEY: primary, BYOK_ENCRYPTION_KEYS: previous } });

describe("key rotation with npm run keys:rotate", () => {
  let c: Client;
  let webhook: { id: string; secret: string };
  beforeAll(async () => {
    if (!isServices()) return;
    c = await signedIn(admin("rotate"));
    for (const type of ["anthropic", "together"] as const) {
      const key = providerKey(type);
      const res = await saveKey(c, { provider_type: type, api_key: key });
      expect([200, 201], res.text).toContain(res.status);
      saved.set(res.body.provider_id, key);
    }
    const hook = await c.post("/api/v1/webhooks", { name: "rotation check", url: "http://127.0.0.1:9/hooks/rotation-check", kind: "generic" });
    expect(hook.status, hook.text).toBe(201);
    recordSecret(hook.body.secret);
    webhook = { id: hook.body.webhook.id, secret: hook.body.secret };
  });

  afterAll(async () => {
    if (!isServices()) return;
    const back = await rotate(oldKey(), newKey);
    expect(back.code, back.stdout + back.stderr).toBe(0);
    // the server (original key only) can decrypt and use the stored keys again
    const res = await testKey(c, { provider_type: "anthropic", api_key: null });
    expect(res.status, res.text).toBe(200);
    expect(res.body.success).toBe(true);
    expect((await c.delete(`/api/v1/webhooks/${webhook.id}`)).status).toBe(200);
  });

  it("--dry-run reports what it would do and writes nothing", async (ctx) => {
    ctx.skip(!isServices(), PGLITE_HELD);
    const before = await storedRows();
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(new Set(before.map((r) => r.encryption_key_id))).toEqual(new Set([keyIdOf(oldKey())]));
    const out = await rotate(newKey, oldKey(), ["--dry-run"]);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain("Dry run: nothing will be written.");
    expect(out.stdout).toContain(`Newest key: ${keyIdOf(newKey)}`);
    expect(out.stdout.match(/would-rotate/g)?.length).toBe(before.length + 1); // and the webhook
    expect(out.stdout).toContain(`would re-encrypt ${before.length} key(s) and 1 webhook(s)`);
    expect(await storedRows()).toEqual(before);
  });

  it("re-encrypts every stored key under the new key only, with the same plaintext", async (ctx) => {
    ctx.skip(!isServices(), PGLITE_HELD);
    const before = await storedRows();
    const out = await rotate(newKey, oldKey());
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain(`re-encrypted ${before.length} key(s) and 1 webhook(s), 0 could not be decrypted`);
    const after = await storedRows();
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));
    const onlyNew = createKeyring([newKey]);
    const onlyOld = createKeyring([oldKey()]);
    const recorded = new Set(allRecordedKeys());
    for (const row of after) {
      expect(row.encryption_key_id, row.name).toBe(onlyNew.primaryKeyId);
      expect(row.encrypted_key).not.toBe(before.find((b) => b.id === row.id)!.encrypted_key);
      const plaintext = onlyNew.decrypt(row.encrypted_key);
      expect(() => onlyOld.decrypt(row.encrypted_key), row.name).toThrow();
      expect(recorded.has(plaintext), `${row.name} decrypts to a key the suite saved`).toBe(true);
      if (saved.has(row.id)) expect(plaintext).toBe(saved.get(row.id));
      expect(row.key_fingerprint).toBe(onlyNew.fingerprint(plaintext));
    }
    expect([...saved.keys()].every((id) => after.some((r) => r.id === id))).toBe(true);
    // webhook URLs and signing secrets are re-encrypted too
    const [hook] = await withSql((sql) => sql<{ encrypted_url: string; encrypted_secret: string; encryption_key_id: string }[]>`select encrypted_url, encrypted_secret, encryption_key_id from webhooks where id = ${webhook.id}`);
    expect(hook!.encryption_key_id).toBe(onlyNew.primaryKeyId);
    expect(onlyNew.decrypt(hook!.encrypted_secret)).toBe(webhook.secret);
    expect(onlyNew.decrypt(hook!.encrypted_url)).toBe("http://127.0.0.1:9/hooks/rotation-check");
  });

  it("a second run has nothing left to do", async (ctx) => {
    ctx.skip(!isServices(), PGLITE_HELD);
    const before = await storedRows();
    const out = await rotate(newKey, oldKey());
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain("re-encrypted 0 key(s)");
    expect(await storedRows()).toEqual(before);
    const audit = await withSql((sql) => sql`select detail from audit_events where action = 'keys.rotate' order by id`);
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(audit.at(-1)!.detail).toMatchObject({ rotated: 0, key_id: keyIdOf(newKey) });
  });
});
