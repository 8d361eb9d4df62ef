// Alerts (issue 4): a key that goes bad raises one alert, in the bell and on every webhook, and one
// when it recovers; webhooks are signed, retried with backoff, every attempt recorded.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectError, saveKey, testKey } from "../support/api";
import { type Client, type Json, signedIn } from "../support/client";
import { admin, users } from "../support/context";
import { MARKER, providerKey, recordSecret } from "../support/keys";
import { type Receiver, startReceiver } from "../support/webhook-receiver";

const NOTIFICATIONS = "/api/v1/notifications";
const WEBHOOKS = "/api/v1/webhooks";
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

const fake = (path: string) => fetch(`${inject("fakeUrl")}${path}`, { method: "POST" }).then((r) => expect(r.status).toBe(200));

/** A receiver URL whose path holds the secret marker, like a Slack URL holds its token. */
const hookUrl = (label: string) => `${receiver.url}/hooks/${label}/${MARKER}${randomBytes(6).toString("hex")}`;

async function addWebhook(c: Client, body: Record<string, unknown>) {
  const res = await c.post(WEBHOOKS, body);
  expect(res.status, res.text).toBe(201);
  recordSecret(res.body.secret);
  return res.body as { webhook: { id: string; url_preview: string; secret_preview: string }; secret: string };
}

async function alertsFor(c: Client, providerId: string): Promise<{ id: number; kind: string; message: string; read: boolean }[]> {
  const res = await c.get(`${NOTIFICATIONS}?limit=200`);
  expect(res.status, res.text).toBe(200);
  return res.body.notifications.filter((n: { provider_id: string }) => n.provider_id === providerId);
}

describe("alerts on key transitions", () => {
  it("a key the provider starts rejecting raises one alert, however often it fails, and one when it works again", async () => {
    const c = await signedIn(admin("alerts"));
    const hook = await addWebhook(c, { name: `ops ${randomUUID().slice(0, 6)}`, url: hookUrl("alerts"), kind: "generic" });
    receiver.secret = hook.secret;
    const marker = `alrt${randomBytes(4).toString("hex")}`;
    const name = `Alerting ${marker}`;
    const key = providerKey("custom").replace(MARKER, `${marker}${MARKER}`);
    const saved = await saveKey(c, { provider_type: "custom", name, api_key: key, config: { base_url: inject("fakeBaseUrls").custom } });
    expect(saved.status, saved.text).toBe(201);
    const id = saved.body.provider_id as string;
    expect(await alertsFor(c, id)).toEqual([]);

    await fake(`/__fake/revoke?marker=${marker}`);
    for (let i = 0; i < 2; i++) expect((await testKey(c, { provider_type: "custom", id })).body.error_code).toBe("invalid_key");
    let alerts = await alertsFor(c, id);
    expect(alerts.map((a) => a.kind)).toEqual(["key_unhealthy"]);
    expect(alerts[0]!.message).toBe(`${name}: the key stopped working - Invalid API key - authentication failed`);
    expect(alerts[0]!.read).toBe(false);
    const sent = await receiver.waitFor((all) => all.some((r) => r.json?.provider?.id === id));
    const first = sent.filter((r) => r.json?.provider?.id === id);
    expect(first).toHaveLength(1);
    expect(first[0]!.signatureOk).toBe(true);
    expect(first[0]!.headers["x-llmhub-event"]).toBe("key.unhealthy");
    expect(first[0]!.json).toMatchObject({ event: "key.unhealthy", alert: { id: alerts[0]!.id, kind: "key_unhealthy", health_status: "unhealthy", error_code: "invalid_key", trigger: "manual" }, provider: { id, type: "custom", name } });
    expect(first[0]!.json.id).toBe(first[0]!.headers["x-llmhub-delivery"]);

    await fake(`/__fake/restore?marker=${marker}`);
    expect((await testKey(c, { provider_type: "custom", id })).body.success).toBe(true);
    alerts = await alertsFor(c, id);
    expect(alerts.map((a) => a.kind)).toEqual(["key_recovered", "key_unhealthy"]);
    await receiver.waitFor((all) => all.some((r) => r.json?.provider?.id === id && r.json.event === "key.recovered"));

    // five admins' tests racing on a key that just went bad: the row lock lets exactly one alert through
    await fake(`/__fake/revoke?marker=${marker}`);
    const raced = await Promise.all(Array.from({ length: 5 }, () => testKey(c, { provider_type: "custom", id })));
    expect(raced.map((r) => r.body.error_code)).toEqual(Array(5).fill("invalid_key"));
    expect((await alertsFor(c, id)).map((a) => a.kind)).toEqual(["key_unhealthy", "key_recovered", "key_unhealthy"]);
    await receiver.waitFor((all) => all.filter((r) => r.json?.provider?.id === id).length >= 3);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received.filter((r) => r.json?.provider?.id === id).map((r) => r.json.event)).toEqual(["key.unhealthy", "key.recovered", "key.unhealthy"]);
    await fake(`/__fake/restore?marker=${marker}`);
    await c.delete(`${WEBHOOKS}/${hook.webhook.id}`);
  });
});

describe("alerts on saves", () => {
  it("a working key saved over one that was alerted about is a recovery; saved over a quiet row it raises nothing", async () => {
    const c = await signedIn(admin("alerts-save"));
    const marker = `svrc${randomBytes(4).toString("hex")}`;
    const name = `Replaced ${marker}`;
    const base = { provider_type: "custom", name, config: { base_url: inject("fakeBaseUrls").custom } };
    const saved = await saveKey(c, { ...base, api_key: providerKey("custom").replace(MARKER, `${marker}${MARKER}`) });
    expect(saved.status, saved.text).toBe(201);
    const id = saved.body.provider_id as string;
    await fake(`/__fake/revoke?marker=${marker}`);
    expect((await testKey(c, { provider_type: "custom", id })).body.error_code).toBe("invalid_key");
    expect((await alertsFor(c, id)).map((a) => a.kind)).toEqual(["key_unhealthy"]);

    const replaced = await saveKey(c, { ...base, api_key: providerKey("custom") });
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.body.test_result.success).toBe(true);
    expect((await alertsFor(c, id)).map((a) => a.kind)).toEqual(["key_recovered", "key_unhealthy"]);
    expect((await saveKey(c, { ...base, api_key: providerKey("custom") })).status).toBe(200);
    expect((await alertsFor(c, id)).map((a) => a.kind)).toEqual(["key_recovered", "key_unhealthy"]);

    // every save's test is in the history, once, whichever way it was written
    const history = await c.get(`/api/v1/llm/providers/keys/${id}/health`);
    expect(history.status, history.text).toBe(200);
    const checks = history.body.checks.map((x: { trigger: string; outcome: string }) => [x.trigger, x.outcome]);
    expect(checks).toEqual([
      ["save", "healthy"],
      ["save", "healthy"],
      ["manual", "unhealthy"],
      ["save", "healthy"],
    ]);
    await fake(`/__fake/restore?marker=${marker}`);
  });
});

describe("notifications", () => {
  it("counts unread per admin, marks one or all read, and pages newest first", async () => {
    const c = await signedIn(admin("alerts"));
    const other = await signedIn(admin("webhooks"));
    const page = await c.get(`${NOTIFICATIONS}?limit=1`);
    expect(page.status, page.text).toBe(200);
    expect(page.body.notifications).toHaveLength(1);
    const unread = page.body.unread_count as number;
    expect(unread).toBeGreaterThanOrEqual(1);
    const newest = page.body.notifications[0];
    expect(Object.keys(newest).sort()).toEqual(["created_at", "error_code", "health_status", "id", "kind", "message", "provider_id", "provider_name", "provider_type", "read", "trigger"]);
    if (page.body.next_before !== null) {
      const next = await c.get(`${NOTIFICATIONS}?limit=1&before=${page.body.next_before}`);
      expect(next.body.notifications[0].id).toBeLessThan(newest.id);
    }

    const read = await c.post(`${NOTIFICATIONS}/${newest.id}/read`, {});
    expect(read.status, read.text).toBe(200);
    expect(read.body.unread_count).toBe(unread - (newest.read ? 0 : 1));
    // reading twice changes nothing
    expect((await c.post(`${NOTIFICATIONS}/${newest.id}/read`, {})).body.unread_count).toBe(read.body.unread_count);
    // read marks are per admin
    const others = await other.get(`${NOTIFICATIONS}?unread_only=true&limit=200`);
    expect(others.body.notifications.map((n: { id: number }) => n.id)).toContain(newest.id);

    const all = await c.post(`${NOTIFICATIONS}/read-all`, {});
    expect(all.status).toBe(200);
    expect(all.body.unread_count).toBe(0);
    expect((await c.get(`${NOTIFICATIONS}?unread_only=true`)).body.notifications).toEqual([]);
  });

  it("refuses bad paging with 400 naming the field, an unknown id with 404, and viewers with 403", async () => {
    const c = await signedIn(admin("alerts"));
    expectError(await c.get(`${NOTIFICATIONS}?limit=0`), 400, "invalid_request", "limit: must be at least 1");
    expectError(await c.get(`${NOTIFICATIONS}?before=abc`), 400, "invalid_request", /^before: /);
    expectError(await c.get(`${NOTIFICATIONS}?unread_only=yes`), 400, "invalid_request", "unread_only: must be true or false");
    expectError(await c.post(`${NOTIFICATIONS}/999999999/read`, {}), 404, "not_found", "Notification not found");
    expectError(await c.post(`${NOTIFICATIONS}/x1/read`, {}), 404, "not_found", "Notification not found");
    const viewer = await signedIn(users().viewer);
    expectError(await viewer.get(NOTIFICATIONS), 403, "forbidden", "Admin access required");
  });
});

describe("webhooks", () => {
  it("retries a failing receiver with backoff: fails twice with 500, delivered on the third attempt, all three recorded", async () => {
    const c = await signedIn(admin("webhooks"));
    const hook = await addWebhook(c, { name: "flaky receiver", url: hookUrl("flaky"), kind: "generic" });
    receiver.secret = hook.secret;
    receiver.failNext(2, 500);
    const test = await c.post(`${WEBHOOKS}/${hook.webhook.id}/test`, {});
    expect(test.status, test.text).toBe(200);
    expect(test.body.delivery).toMatchObject({ event: "test", status: "pending", attempts: 1, last_status_code: 500, last_error: "receiver answered HTTP 500" });
    const deliveryId = test.body.delivery.id as string;

    let delivery: Json;
    const until = Date.now() + 15_000;
    do {
      await new Promise((r) => setTimeout(r, 100));
      const list = await c.get(`${WEBHOOKS}/${hook.webhook.id}/deliveries`);
      delivery = list.body.deliveries.find((d: { id: string }) => d.id === deliveryId);
    } while (delivery.status === "pending" && Date.now() < until);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 3, last_status_code: 200, last_error: null });
    expect(delivery.attempt_log.map((a: { attempt: number; success: boolean; status_code: number }) => [a.attempt, a.success, a.status_code])).toEqual([
      [1, false, 500],
      [2, false, 500],
      [3, true, 200],
    ]);
    // backoff: 0.3 s then 0.6 s (WEBHOOK_RETRY_BASE_SECONDS=0.3 in this suite)
    const at = delivery.attempt_log.map((a: { at: string }) => Date.parse(a.at));
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(250);
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(550);

    const got = receiver.received.filter((r) => r.headers["x-llmhub-delivery"] === deliveryId);
    expect(got.map((r) => r.answered)).toEqual([500, 500, 200]);
    expect(got.every((r) => r.signatureOk)).toBe(true);
    expect(new Set(got.map((r) => r.body)).size).toBe(1); // the same body every time, freshly signed
    expect(got[0]!.json).toMatchObject({ id: deliveryId, event: "test", alert: { kind: "test" } });
    await c.delete(`${WEBHOOKS}/${hook.webhook.id}`);
  });

  it("shows the secret once, never the full URL, and rotating the secret invalidates the old one", async () => {
    const c = await signedIn(admin("webhooks"));
    const url = hookUrl("slack");
    const hook = await addWebhook(c, { name: "team slack", url, kind: "slack" });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(hook.webhook.secret_preview).toBe(`whsec_…${hook.secret.slice(-4)}`);
    expect(hook.webhook.url_preview).toBe(`${receiver.url}/…${url.slice(-4)}`);
    const list = await c.get(WEBHOOKS);
    expect(list.text).not.toContain(hook.secret);
    const listed = list.body.webhooks.find((w: { id: string }) => w.id === hook.webhook.id);
    expect(listed).toMatchObject({ name: "team slack", kind: "slack", enabled: true, secret_preview: hook.webhook.secret_preview });

    receiver.secret = hook.secret;
    const sent = await c.post(`${WEBHOOKS}/${hook.webhook.id}/test`, {});
    expect(sent.body.delivery).toMatchObject({ status: "delivered", attempts: 1, last_status_code: 200 });
    const slack = receiver.received.at(-1)!;
    expect(slack.signatureOk).toBe(true);
    expect(slack.json.text).toMatch(/^:bell: \*LLM Hub\*: Test notification from LLM Hub, sent by admin-webhooks@example.com$/);

    const rotated = await c.post(`${WEBHOOKS}/${hook.webhook.id}/rotate-secret`, {});
    expect(rotated.status, rotated.text).toBe(200);
    recordSecret(rotated.body.secret);
    expect(rotated.body.secret).not.toBe(hook.secret);
    await c.post(`${WEBHOOKS}/${hook.webhook.id}/test`, {});
    expect(receiver.received.at(-1)!.signatureOk).toBe(false); // the receiver still checks the old secret
    receiver.secret = rotated.body.secret;
    await c.post(`${WEBHOOKS}/${hook.webhook.id}/test`, {});
    expect(receiver.received.at(-1)!.signatureOk).toBe(true);

    const disabled = await c.patch(`${WEBHOOKS}/${hook.webhook.id}`, { enabled: false, name: "team slack (off)" });
    expect(disabled.body.webhook).toMatchObject({ enabled: false, name: "team slack (off)" });
    expectError(await c.post(`${WEBHOOKS}/${hook.webhook.id}/test`, {}), 409, "webhook_disabled");
    expect((await c.delete(`${WEBHOOKS}/${hook.webhook.id}`)).status).toBe(200);
    expectError(await c.delete(`${WEBHOOKS}/${hook.webhook.id}`), 404, "not_found", "Webhook not found");
  });

  it("refuses bad input with 400 naming the field, metadata and link-local URLs, unknown ids, and viewers", async () => {
    const c = await signedIn(admin("webhooks"));
    expectError(await c.post(WEBHOOKS, { url: hookUrl("x") }), 400, "invalid_request", /^name: /);
    expectError(await c.post(WEBHOOKS, { name: "x", url: hookUrl("x"), kind: "teams" }), 400, "invalid_request", "kind: must be 'generic' or 'slack'");
    expectError(await c.post(WEBHOOKS, { name: "x", url: hookUrl("x"), secret: "mine" }), 400, "invalid_request", /unknown field 'secret'/);
    expectError(await c.post(WEBHOOKS, { name: "x", url: "ftp://example.com/hook" }), 400, "bad_webhook_url", /^url: /);
    expectError(await c.post(WEBHOOKS, { name: "x", url: "http://169.254.169.254/latest/meta-data" }), 400, "bad_webhook_url", /^url: /);
    expectError(await c.post(WEBHOOKS, { name: "x", url: "http://[fe80::1]/hook" }), 400, "bad_webhook_url", /^url: /);
    expectError(await c.patch(`${WEBHOOKS}/${randomUUID()}`, { name: "y" }), 404, "not_found", "Webhook not found");
    expectError(await c.patch(`${WEBHOOKS}/not-a-uuid`, { name: "y" }), 404, "not_found", "Webhook not found");
    expectError(await c.post(`${WEBHOOKS}/${randomUUID()}/test`, {}), 404, "not_found", "Webhook not found");
    const viewer = await signedIn(users().viewer);
    expectError(await viewer.get(WEBHOOKS), 403, "forbidden", "Admin access required");
    expectError(await viewer.post(WEBHOOKS, { name: "x", url: hookUrl("x") }), 403, "forbidden", "Admin access required");
  });
});
