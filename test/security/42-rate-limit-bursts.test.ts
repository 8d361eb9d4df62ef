// Every rate limit of the app against a burst: N requests sent at once get at most the limit
// through (sign-in per account and per address, key tests, webhook tests), and the sign-in queue
// refuses what it cannot hold with 503 and Retry-After while a returning admin still signs in
// (the figures of the flood are printed: they depend on the machine and its load).
// All on the second instance (default limits, TRUST_PROXY=1: each test names its own addresses).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST } from "../support/api";
import type { ApiResponse, Client } from "../support/client";
import { withSql } from "../support/db";
import { providerKey, recordSecret } from "../support/keys";
import { startReceiver, type Receiver } from "../support/webhook-receiver";
import { secAdmin } from "./support/context";
import { burst, LOGIN, PER_ACCOUNT, PER_ADDRESS, proxiedClient, tally, userAgent } from "./support/proxied";

const LABEL = "bursts";
const WRONG = "wrong password";
const KEY_TESTS_PER_MINUTE = 10; // the default (lib/env.ts)
const WEBHOOK_TESTS_PER_MINUTE = 10; // lib/rate-limit/limiter.ts
const nobody = () => `nobody-${randomBytes(6).toString("hex")}@sec.example`;
const loginAudits = async (label: string) =>
  Number((await withSql((sql) => sql`select count(*)::int as n from audit_events where user_agent = ${userAgent(label)} and action = 'auth.login'`))[0]?.n);

function expectLimited(res: ApiResponse) {
  expect(res.body, res.text).toMatchObject({ code: "rate_limited" });
  expect(typeof res.body.detail).toBe("string");
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
}

describe("sign-in limits under a burst", () => {
  it(`per account: ${PER_ACCOUNT * 4} wrong passwords at once get ${PER_ACCOUNT} answers, the rest and then the right password 429`, async () => {
    const who = secAdmin("lockout");
    const label = `${LABEL}-account`;
    // each attempt from its own address, so that only the per-account budget can stop them
    const results = await burst(PER_ACCOUNT * 4, (i) => proxiedClient(label, `100.64.42.${i + 1}`).login(who.email, `${WRONG} ${i}`));
    expect(tally(results.map((r) => r.status))).toEqual({ 401: PER_ACCOUNT, 429: PER_ACCOUNT * 3 });
    results.filter((r) => r.status === 429).forEach(expectLimited);
    const right = await proxiedClient(label, "100.64.42.200").login(who.email, who.password);
    expect(right.status, "the right password after the burst").toBe(429);
    expect(right.headers.getSetCookie()).toEqual([]);
    expect(await loginAudits(label), "one audit record per attempt").toBe(PER_ACCOUNT * 4 + 1);
  });

  it(`per address: 120 failed sign-ins at once from one address get at most ${PER_ADDRESS} answers`, async () => {
    const label = `${LABEL}-address`;
    const from = proxiedClient(label, "100.64.43.1");
    const results = await burst(120, () => from.login(nobody(), WRONG));
    const counts = tally(results.map((r) => r.status));
    // what the password queue cannot hold is refused with 503 and its units given back (see the flood below)
    expect(Object.keys(counts).every((s) => ["401", "429", "503"].includes(s)), JSON.stringify(counts)).toBe(true);
    expect(counts[401] ?? 0, JSON.stringify(counts)).toBeLessThanOrEqual(PER_ADDRESS);
    results.filter((r) => r.status === 429).forEach(expectLimited);
    // the budget is exact: what the burst left (units given back by 503s) is spent one by one, then 429
    let answered = counts[401] ?? 0;
    for (let i = 0; i <= PER_ADDRESS; i++) {
      const res = await from.login(nobody(), WRONG);
      if (res.status === 429) break;
      expect(res.status).toBe(401);
      answered++;
    }
    expect(answered).toBe(PER_ADDRESS);
    const admin = secAdmin("burst");
    expect((await from.login(admin.email, admin.password)).status, "an admin's right password from that address").toBe(429);
    expect(await loginAudits(label), "one audit record per attempt answered 401 or 429").toBe(120 - (counts[503] ?? 0) + (answered - (counts[401] ?? 0)) + 2);
  });
});

describe("key-test and webhook-test limits under a burst", () => {
  let admin: Client;
  let receiver: Receiver;
  beforeAll(async () => {
    admin = await proxiedClient(`${LABEL}-admin`, "100.64.44.1").signIn(secAdmin("burst"));
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it(`key tests: 30 at once get ${KEY_TESTS_PER_MINUTE} through, the rest 429`, async () => {
    const results = await burst(30, () => admin.post(TEST, { provider_type: "openai", api_key: providerKey("openai") }));
    expect(tally(results.map((r) => r.status))).toEqual({ 200: KEY_TESTS_PER_MINUTE, 429: 30 - KEY_TESTS_PER_MINUTE });
    results.filter((r) => r.status === 429).forEach(expectLimited);
  });

  it(`webhook tests: 30 at once get ${WEBHOOK_TESTS_PER_MINUTE} through, the rest 429`, async () => {
    const created = await admin.post("/api/v1/webhooks", { name: `burst ${randomBytes(3).toString("hex")}`, url: `${receiver.url}/hook` });
    expect(created.status, created.text).toBe(201);
    recordSecret(created.body.secret);
    const results = await burst(30, () => admin.post(`/api/v1/webhooks/${created.body.webhook.id}/test`, {}));
    expect(tally(results.map((r) => r.status))).toEqual({ 200: WEBHOOK_TESTS_PER_MINUTE, 429: 30 - WEBHOOK_TESTS_PER_MINUTE });
    results.filter((r) => r.status === 429).forEach(expectLimited);
    expect((await admin.delete(`/api/v1/webhooks/${created.body.webhook.id}`)).status).toBe(200);
  });
});

describe("the sign-in queue under a flood", () => {
  it("refuses what it cannot hold with 503 and Retry-After, and does not queue a returning admin behind the flood", async () => {
    const who = secAdmin("burst");
    const label = `${LABEL}-flood`;
    // a browser that signed in before carries the known_device cookie
    const browser = await proxiedClient(label, "100.64.45.1").signIn(who);
    const device = browser.cookie("known_device");
    expect(device, browser.lastSetCookies.join("\n")).toBeTruthy();
    const set = browser.lastSetCookies.find((c) => c.startsWith("known_device="))!;
    expect(set).toMatch(/; Path=\/api\/v1\/auth\/login;/);
    expect(set).toMatch(/; HttpOnly/);
    expect(set).toMatch(/; SameSite=Strict/);

    let started = performance.now();
    const time = async (fn: () => Promise<ApiResponse>) => {
      const t = performance.now();
      const res = await fn();
      return { res, ms: Math.round(performance.now() - t), at: Math.round(performance.now() - started) };
    };
    const quiet = await time(() => browser.post(LOGIN, who, { cookie: `known_device=${device}` }));
    expect(quiet.res.status).toBe(200);

    // 300 attempts from 300 addresses, none of them an account
    started = performance.now();
    const flood = burst(300, (i) => time(() => proxiedClient(label, `100.65.${i >> 8}.${i & 255}`).login(nobody(), WRONG)));
    await new Promise((r) => setTimeout(r, 300));
    const [returning, fresh] = await Promise.all([
      time(() => browser.post(LOGIN, who, { cookie: `known_device=${device}` })),
      time(() => proxiedClient(label, "100.64.45.2").login(who.email, who.password)),
    ]);
    const timed = await flood;
    const results = timed.map((t) => t.res);
    const floodMs = Math.round(performance.now() - started);
    const counts = tally(results.map((r) => r.status));
    const spread = (status: number) => {
      const ms = timed.filter((t) => t.res.status === status).map((t) => t.ms).sort((a, b) => a - b);
      return ms.length ? `${status}: ${ms.length} in ${ms[0]}..${ms[ms.length - 1]} ms (median ${ms[ms.length >> 1]})` : `${status}: none`;
    };
    const judgedBefore = timed.filter((t) => t.res.status === 401 && t.at < returning.at).length;
    console.log(
      `sign-in flood: 300 attempts from 300 addresses answered in ${floodMs} ms (${spread(401)}; ${spread(503)}). ` +
        `Returning admin (known device): ${quiet.ms} ms before the flood, ${returning.res.status} in ${returning.ms} ms during it ` +
        `(answered ${returning.at} ms into it; ${judgedBefore} flood attempts judged before). ` +
        `Admin from a new browser during it: ${fresh.res.status} in ${fresh.ms} ms.`,
    );

    expect(returning.res.status, returning.res.text).toBe(200);
    // not queued behind the flood: only the attempts judged before it reached the queue went first
    // (times depend on the machine's load; how many went first does not, unbounded it was ~all 300)
    expect(judgedBefore, "flood attempts judged before the returning admin's sign-in").toBeLessThan(100);
    expect([200, 503]).toContain(fresh.res.status);
    expect(Object.keys(counts).every((s) => ["401", "503"].includes(s)), JSON.stringify(counts)).toBe(true);
    const refused = results.filter((r) => r.status === 503);
    expect(refused.length, "a full queue refuses at once").toBeGreaterThan(0);
    for (const r of [...refused, ...(fresh.res.status === 503 ? [fresh.res] : [])]) {
      expect(r.body).toMatchObject({ code: "sign_in_busy" });
      expect(r.body.detail).toMatch(/^Too many sign-in attempts are being checked right now\. Try again in \d+ s\.$/);
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
  });
});
