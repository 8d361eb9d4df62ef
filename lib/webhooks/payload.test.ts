import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type AlertEvent, type AlertForEvent, alertEventOf, deliveryDraftsOf, genericBody, retryDelayMs, sign, slackBody, verifySignature } from "./payload";

const event: AlertEvent = {
  id: 7,
  kind: "key_unhealthy",
  message: "OpenAI: key is unhealthy - Invalid API key - authentication failed",
  health_status: "unhealthy",
  error_code: "invalid_key",
  trigger: "scheduled",
  created_at: "2026-11-25T10:00:00.000Z",
  provider: { id: "8d1c0f7e-0000-4000-8000-000000000000", type: "openai", name: "OpenAI" },
};

describe("webhook payloads", () => {
  it("generic JSON carries the delivery id, the event name, the alert and the provider", () => {
    expect(JSON.parse(genericBody("d-1", event))).toEqual({
      id: "d-1",
      event: "key.unhealthy",
      created_at: event.created_at,
      alert: { id: 7, kind: "key_unhealthy", message: event.message, health_status: "unhealthy", error_code: "invalid_key", trigger: "scheduled", created_at: event.created_at },
      provider: event.provider,
    });
  });

  it("Slack body has text for notifications and escapes Slack's control characters", () => {
    const body = JSON.parse(slackBody({ ...event, message: "a <b> & c" }));
    expect(body.text).toBe(":red_circle: *LLM Hub*: a &lt;b&gt; &amp; c");
    expect(body.blocks[0]).toEqual({ type: "section", text: { type: "mrkdwn", text: body.text } });
    expect(body.blocks[1].elements[0].text).toContain("error: invalid_key");
  });
});

describe("events of stored alerts", () => {
  const stored: AlertForEvent = {
    id: 7,
    kind: "key_unhealthy",
    message: event.message,
    healthStatus: "unhealthy",
    errorCode: "invalid_key",
    trigger: "scheduled",
    createdAt: new Date(event.created_at),
    providerKeyId: event.provider.id,
    providerType: "openai",
    providerName: "OpenAI",
  };
  const budget = { hub_key_id: "0b5c1f7e-0000-4000-8000-000000000000", hub_key_name: "ci", month: "2026-11", budget_usd: 10, spent_usd: 8.5 };

  it("a key's alert names its provider row", () => {
    expect(alertEventOf(stored)).toEqual(event);
  });

  it("a budget alert names the gateway and carries the budget's figures", () => {
    const row: AlertForEvent = { ...stored, kind: "budget_warning", healthStatus: "warning", errorCode: null, trigger: "budget", providerKeyId: null, providerType: "gateway", providerName: "ci" };
    expect(alertEventOf(row, { budget })).toEqual({
      id: 7,
      kind: "budget_warning",
      message: event.message,
      health_status: "warning",
      error_code: null,
      trigger: "budget",
      created_at: event.created_at,
      provider: { id: null, type: "gateway", name: "LLM Hub gateway" },
      budget,
    });
  });

  it("a credit alert names its provider row and carries the key's credit", () => {
    const credit = { usage: 6.8, limit: 10, limit_remaining: 3.2, limit_reset: "monthly", threshold_usd: 5 };
    const row: AlertForEvent = { ...stored, kind: "key_low_credit", healthStatus: "healthy", errorCode: null, providerType: "openrouter", providerName: "OpenRouter" };
    const out = alertEventOf(row, { credit });
    expect(out).toMatchObject({ kind: "key_low_credit", provider: { id: stored.providerKeyId, type: "openrouter", name: "OpenRouter" }, credit });
    expect(JSON.parse(genericBody("d-1", out))).toMatchObject({ event: "key.low_credit", alert: { credit } });
  });

  it("makes one delivery per webhook, in the body its kind takes", () => {
    const [generic, slack] = deliveryDraftsOf(event, [
      { id: "w-1", kind: "generic" },
      { id: "w-2", kind: "slack" },
    ]);
    expect(generic).toMatchObject({ webhookId: "w-1", event: "key.unhealthy", body: genericBody(generic!.id, event) });
    expect(slack).toMatchObject({ webhookId: "w-2", event: "key.unhealthy", body: slackBody(event) });
    expect(generic!.id).not.toBe(slack!.id);
  });
});

describe("signatures", () => {
  const secret = "whsec_test";
  it("is HMAC-SHA256 over '<timestamp>.<body>', hex, prefixed v1=", () => {
    expect(sign(secret, 1700000000, "{}")).toBe(`v1=${createHmac("sha256", secret).update("1700000000.{}").digest("hex")}`);
  });

  it("verifies a good signature and refuses a changed body, another secret, or an old timestamp", () => {
    const sig = sign(secret, 1000, "body");
    expect(verifySignature(secret, "1000", "body", sig, 1000)).toBe(true);
    expect(verifySignature(secret, "1000", "body!", sig, 1000)).toBe(false);
    expect(verifySignature("whsec_other", "1000", "body", sig, 1000)).toBe(false);
    expect(verifySignature(secret, "1000", "body", sig, 1000 + 301)).toBe(false);
    expect(verifySignature(secret, undefined, "body", sig, 1000)).toBe(false);
  });
});

describe("retry backoff", () => {
  it("doubles from the base and stops after the last attempt", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, 30, 6))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, null]);
    expect(retryDelayMs(1, 0.1, 3)).toBe(100);
  });
});
