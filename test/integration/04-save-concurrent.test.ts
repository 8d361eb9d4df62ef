// Contract section 4: saving again is an upsert that is safe under concurrent requests: never two
// rows, never a 500, and the stored row is one consistent write (preview, ciphertext, fingerprint).
import { describe, expect, inject, it } from "vitest";
import { createKeyring } from "../../lib/crypto/keyring";
import { listRows, saveKey } from "../support/api";
import { signedIn } from "../support/client";
import { admin, isServices } from "../support/context";
import { withSql } from "../support/db";
import { previewOf, providerKey } from "../support/keys";

const PROVIDER = "cohere";
const SAVES = 20;

describe("20 concurrent saves of one provider", () => {
  const keys = Array.from({ length: SAVES }, () => providerKey(PROVIDER));
  let statuses: number[] = [];

  it("all succeed (no 500), at most one of them is a create", async () => {
    // 7 + 7 + 6 saves: each admin stays under the 10-per-minute test budget
    const clients = await Promise.all([admin("concurrent1"), admin("concurrent2"), admin("concurrent3")].map(signedIn));
    const responses = await Promise.all(keys.map((k, i) => saveKey(clients[i % 3]!, { provider_type: PROVIDER, api_key: k })));
    statuses = responses.map((r) => r.status);
    for (const r of responses) expect([200, 201], r.text).toContain(r.status);
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(1);
    const ids = new Set(responses.map((r) => r.body.provider_id));
    expect(ids.size).toBe(1);
  });

  it("the list has exactly one row for the provider, holding one of the saved keys", async () => {
    const c = await signedIn(admin("concurrent1"));
    const rows = (await listRows(c)).filter((r) => r.provider_type === PROVIDER);
    expect(rows).toHaveLength(1);
    expect(keys.map(previewOf)).toContain(rows[0]!.key_preview);
    expect(rows[0]).toMatchObject({ key_source: "database", test_status: "success", health_status: "healthy" });
  });

  it("the database has one row whose ciphertext, preview and fingerprint all come from the same saved key", async (ctx) => {
    ctx.skip(!isServices(), "zero-setup mode: the PGlite database is held by the server process");
    const rows = await withSql((sql) => sql`select encrypted_key, encryption_key_id, key_preview, key_fingerprint from provider_keys where provider_type = ${PROVIDER}`);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    const keyring = createKeyring([inject("encryptionKey")]);
    const plaintext = keyring.decrypt(row.encrypted_key as string);
    expect(keys).toContain(plaintext);
    expect(row.key_preview).toBe(previewOf(plaintext));
    expect(row.key_fingerprint).toBe(keyring.fingerprint(plaintext));
    expect(row.encryption_key_id).toBe(keyring.primaryKeyId);
  });
});
