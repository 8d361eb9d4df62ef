// OpenRouter credits (issue 13): every check of an OpenRouter key keeps what GET /api/v1/key said of
// its credit; credit under OPENROUTER_LOW_CREDIT_USD (5 here) raises key.low_credit once, in the bell
// and on every webhook, and key.credit_recovered once when it is back.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { KEYS, rowOf, saveKey, testKey } from "../support/api";
import { type Client, signedIn } from "../support/client";
import { admin } from "../support/context";
import { MARKER, providerKey, recordSecret } from "../support/keys";
import { type Receiver, startReceiver } from "../support/webhook-receiver";

let receiver: Receiver;
let c: Client;
let hookId: string;
const marker = `crd${randomBytes(4).toString("hex")}`;

/** Sets what the fake OpenRouter reports for keys holding this file's marker (no `limit`: no cap). */
async function setCredit(q: Record<string, string | number>) {
  const params = new URLSearchParams({ marker, ...Object.fromEntries(Object.entries(q).map(([k, v]) => [k, String(v)])) });
  const res = await fetch(`${inject("fakeUrl")}/__fake/credit?${params}`, { method: "POST" });
  expect(res.status).toBe(200);
}

async function creditAlerts(providerId: string): Promise<{ kind: string; message: string }[]> {
  const res = await c.get("/api/v1/notifications?limit=200");
  expect(res.status, res.text).toBe(200);
  return res.body.notifications.filter((n: { provider_id: string; kind: string }) => n.provider_id === providerId && n.kind.includes("credit"));
}

const creditEvents = (providerId: string) =>
  receiver.received.filter((r) => r.json?.provider?.id === providerId && String(r.json?.event).includes("credit")).map((r) => r.json.event as string);

beforeAll(async () => {
  receiver = await startReceiver();
  c = await signedIn(admin("credits"));
  const res = await c.post("/api/v1/webhooks", { name: `credits ${randomUUID().slice(0, 6)}`, url: `${receiver.url}/hooks/credits/${MARKER}${randomBytes(6).toString("hex")}` });
  expect(res.status, res.text).toBe(201);
  recordSecret(res.body.secret);
  receiver.secret = res.body.secret;
  hookId = res.body.webhook.id;
});

afterAll(async () => {
  await setCredit({});
  await c?.delete(`/api/v1/webhooks/${hookId}`);
  await receiver?.close();
});

describe("OpenRouter credits", () => {
  it("keeps each check's credit, alerts once when it falls under the threshold, and once when it is back", async () => {
    await setCredit({ limit: 20, remaining: 12.5, usage: 7.5, reset: "monthly" });
    const key = providerKey("openrouter").replace(MARKER, `${marker}${MARKER}`);
    const saved = await saveKey(c, { provider_type: "openrouter", api_key: key });
    expect([200, 201], saved.text).toContain(saved.status);
    const id = saved.body.provider_id as string;
    expect(saved.body.test_result.credits).toEqual({ usage: 7.5, limit: 20, limit_remaining: 12.5, limit_reset: "monthly" });
    expect((await rowOf(c, "openrouter"))!.last_test).toMatchObject({ credits: { limit: 20, limit_remaining: 12.5 } });
    expect(await creditAlerts(id)).toEqual([]);

    // under $5: one alert, however many checks find it low
    await setCredit({ limit: 20, remaining: 3.2, reset: "monthly" });
    const low = await testKey(c, { provider_type: "openrouter", id });
    expect(low.body).toMatchObject({ success: true, credits: { usage: 16.8, limit: 20, limit_remaining: 3.2, limit_reset: "monthly" } });
    await setCredit({ limit: 20, remaining: 2.5 });
    expect((await testKey(c, { provider_type: "openrouter", id })).body.success).toBe(true);
    expect((await creditAlerts(id)).map((a) => [a.kind, a.message])).toEqual([
      ["key_low_credit", "OpenRouter: credit is low - $3.20 credit left of $20.00 (monthly limit), under the $5.00 alert threshold"],
    ]);
    await receiver.waitFor((all) => all.some((r) => r.json?.provider?.id === id && r.json.event === "key.low_credit"));
    const delivered = receiver.received.find((r) => r.json?.provider?.id === id && r.json.event === "key.low_credit")!;
    expect(delivered.signatureOk).toBe(true);
    expect(delivered.headers["x-llmhub-event"]).toBe("key.low_credit");
    expect(delivered.json.alert).toMatchObject({ kind: "key_low_credit", health_status: "healthy", trigger: "manual", credit: { limit: 20, limit_remaining: 3.2, threshold_usd: 5 } });

    // the key's history keeps every check's figures
    const history = await c.get(`${KEYS}/${id}/health`);
    expect(history.status, history.text).toBe(200);
    expect(history.body.checks.slice(0, 3).map((x: { credits: { limit_remaining: number } }) => x.credits.limit_remaining)).toEqual([2.5, 3.2, 12.5]);

    // back over the threshold: one recovery; a cap lifted altogether changes nothing more
    await setCredit({ limit: 50, remaining: 40 });
    expect((await testKey(c, { provider_type: "openrouter", id })).body.credits).toMatchObject({ limit: 50, limit_remaining: 40 });
    await setCredit({});
    const uncapped = await testKey(c, { provider_type: "openrouter", id });
    expect(uncapped.body.credits).toEqual({ usage: 0, limit: null, limit_remaining: null, limit_reset: null });
    expect((await creditAlerts(id)).map((a) => a.kind)).toEqual(["key_credit_recovered", "key_low_credit"]);
    expect((await creditAlerts(id))[0]!.message).toBe("OpenRouter: credit is back above $5.00 - $40.00 credit left of $50.00");
    await receiver.waitFor((all) => all.some((r) => r.json?.provider?.id === id && r.json.event === "key.credit_recovered"));
    await new Promise((r) => setTimeout(r, 300));
    expect(creditEvents(id)).toEqual(["key.low_credit", "key.credit_recovered"]);

    // a spent cap is out of credit (unhealthy) and low: both alerts, each once
    await setCredit({ limit: 10, remaining: 0 });
    const spent = await testKey(c, { provider_type: "openrouter", id });
    expect(spent.body).toMatchObject({ success: false, error_code: "no_credits" });
    expect((await creditAlerts(id)).map((a) => a.kind)).toEqual(["key_low_credit", "key_credit_recovered", "key_low_credit"]);

    const removed = await c.delete(`${KEYS}/${id}`);
    expect(removed.status, removed.text).toBe(200);
  });
});
