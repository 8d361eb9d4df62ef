// Webhook answers after review: every answer that shows a webhook shows the same delivery figures
// as the list, and a webhook whose stored URL and secret the keyring can no longer decrypt (its key
// was dropped from BYOK_ENCRYPTION_KEYS) is refused with a 409 naming the problem, the row kept.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyring } from "@/lib/crypto/keyring";
import { expectError } from "../support/api";
import { type Client, type Json, signedIn } from "../support/client";
import { admin, isServices } from "../support/context";
import { withSql } from "../support/db";
import { MARKER, recordSecret } from "../support/keys";
import { type Receiver, startReceiver } from "../support/webhook-receiver";

const WEBHOOKS = "/api/v1/webhooks";
let receiver: Receiver;
let c: Client;

beforeAll(async () => {
  receiver = await startReceiver();
  c = await signedIn(admin("webhooks"));
});
afterAll(async () => {
  await receiver?.close();
});

const hookUrl = (label: string) => `${receiver.url}/hooks/${label}/${MARKER}${randomBytes(6).toString("hex")}`;

async function addWebhook(name: string): Promise<{ id: string; secret: string }> {
  const res = await c.post(WEBHOOKS, { name, url: hookUrl("answers"), kind: "generic" });
  expect(res.status, res.text).toBe(201);
  recordSecret(res.body.secret);
  return { id: res.body.webhook.id, secret: res.body.secret };
}

const listed = async (id: string): Promise<Json> => (await c.get(WEBHOOKS)).body.webhooks.find((w: { id: string }) => w.id === id);
const figures = (w: Json) => ({ last_delivery: w.last_delivery, pending_deliveries: w.pending_deliveries, failed_deliveries: w.failed_deliveries });

describe("webhook answers show the list's delivery figures", () => {
  it("PATCH, rotate-secret and the deliveries page agree with GET /webhooks", async () => {
    const hook = await addWebhook(`figures ${randomUUID().slice(0, 6)}`);
    const sent = await c.post(`${WEBHOOKS}/${hook.id}/test`, {});
    expect(sent.body.delivery, sent.text).toMatchObject({ status: "delivered" });
    expect((await listed(hook.id)).last_delivery).toMatchObject({ status: "delivered", error: null });

    const patched = await c.patch(`${WEBHOOKS}/${hook.id}`, { name: `figures renamed ${randomUUID().slice(0, 6)}` });
    expect(patched.status, patched.text).toBe(200);
    expect(figures(patched.body.webhook)).toEqual(figures(await listed(hook.id)));

    const deliveries = await c.get(`${WEBHOOKS}/${hook.id}/deliveries`);
    expect(figures(deliveries.body.webhook)).toEqual(figures(await listed(hook.id)));

    const rotated = await c.post(`${WEBHOOKS}/${hook.id}/rotate-secret`, {});
    expect(rotated.status, rotated.text).toBe(200);
    recordSecret(rotated.body.secret);
    expect(figures(rotated.body.webhook)).toEqual(figures(await listed(hook.id)));

    // a delivery left pending, then given up by disabling the webhook: the answer counts it failed
    receiver.failNext(100, 500);
    expect((await c.post(`${WEBHOOKS}/${hook.id}/test`, {})).body.delivery).toMatchObject({ status: "pending" });
    const disabled = await c.patch(`${WEBHOOKS}/${hook.id}`, { enabled: false });
    expect(disabled.status, disabled.text).toBe(200);
    expect(disabled.body.webhook).toMatchObject({ enabled: false, pending_deliveries: 0, failed_deliveries: 1, last_delivery: { status: "failed" } });
    expect(figures(disabled.body.webhook)).toEqual(figures(await listed(hook.id)));
    receiver.failNext(0);
    expect((await c.delete(`${WEBHOOKS}/${hook.id}`)).status).toBe(200);
  });
});

describe("a webhook the keyring can no longer decrypt", () => {
  it.skipIf(!isServices())("refuses a new URL and a secret rotation with 409 naming the problem, and keeps the row", async () => {
    const hook = await addWebhook(`lost key ${randomUUID().slice(0, 6)}`);
    // encrypted under a key the app does not hold, as after BYOK_ENCRYPTION_KEYS lost the old key
    const lost = createKeyring([randomBytes(32).toString("base64url")]);
    const url = lost.encrypt(hookUrl("lost"));
    const secret = lost.encrypt(`whsec_${randomBytes(32).toString("base64url")}`);
    await withSql((sql) => sql`update webhooks set encrypted_url = ${url.token}, encrypted_secret = ${secret.token}, encryption_key_id = ${url.keyId} where id = ${hook.id}`);
    const before = await listed(hook.id);

    const detail = /cannot be decrypted with the configured encryption keys/;
    const moved = await c.patch(`${WEBHOOKS}/${hook.id}`, { url: hookUrl("new") });
    expectError(moved, 409, "webhook_undecryptable", detail);
    expect(moved.text).not.toContain(MARKER);
    expectError(await c.post(`${WEBHOOKS}/${hook.id}/rotate-secret`, {}), 409, "webhook_undecryptable", detail);

    expect(await listed(hook.id)).toEqual(before); // nothing changed, nothing lost
    const [row] = await withSql((sql) => sql<{ encrypted_url: string; encrypted_secret: string }[]>`select encrypted_url, encrypted_secret from webhooks where id = ${hook.id}`);
    expect(row).toEqual({ encrypted_url: url.token, encrypted_secret: secret.token });
    // what needs no decryption still works, and the row can be removed
    const renamed = await c.patch(`${WEBHOOKS}/${hook.id}`, { name: "lost key (renamed)" });
    expect(renamed.status, renamed.text).toBe(200);
    expect((await c.delete(`${WEBHOOKS}/${hook.id}`)).status).toBe(200);
  });
});
