// Sessions and roles (contract: conventions, section 11): sign-in, the cookie, sign-out, revocation,
// forged cookies, the admin-only API, and the per-account sign-in limit.
import { randomBytes, randomUUID } from "node:crypto";
import { sealData } from "iron-session";
import { describe, expect, inject, it } from "vitest";
import { expectError, INFO, KEYS, ME, TEST } from "../support/api";
import { Client, signedIn } from "../support/client";
import { runNpmScriptOk } from "../support/cli";
import { admin, isServices, PGLITE_HELD, users } from "../support/context";

const NO_TOKEN = "Not authenticated - no session token";
const INVALID_SESSION = "Invalid session - please login again";
const LOGIN = "/api/v1/auth/login";
const LOGOUT = "/api/v1/auth/logout";

describe("sign-in and the session cookie", () => {
  it("signs in with the right password and sets an HttpOnly, SameSite=Lax session_token cookie", async () => {
    const me = admin("auth");
    const c = new Client();
    const res = await c.login(me.email, me.password);
    expect(res.status, res.text).toBe(200);
    expect(res.body.success).toBe(true);
    expect(res.body.user).toMatchObject({ email: me.email, role: "admin" });
    expect(res.text).not.toMatch(/password|scrypt\$/i);
    const cookie = c.lastSetCookies.find((s) => s.startsWith("session_token="));
    expect(cookie, c.lastSetCookies.join("\n")).toBeDefined();
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Secure/i); // production (next start)
    expect(cookie).toMatch(/;\s*Path=\//i);
    expect(c.cookie("session_token")?.length).toBeGreaterThan(20);
  });

  it("refuses a wrong password and an unknown account with the same 401", async () => {
    const me = admin("auth");
    const wrong = await new Client().login(me.email, `${me.password}x`);
    expectError(wrong, 401);
    const unknown = await new Client().login("nobody-here@example.com", me.password);
    expectError(unknown, 401);
    expect(unknown.body.detail).toBe(wrong.body.detail);
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  it("GET /auth/me returns the signed-in user", async () => {
    const c = await signedIn(admin("auth"));
    const res = await c.get(ME);
    expect(res.status, res.text).toBe(200);
    expect(res.body.user).toMatchObject({ email: admin("auth").email, role: "admin" });
    expect(res.body.user.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("after logout the old cookie is refused: 401 Invalid session", async () => {
    const c = await signedIn(admin("auth"));
    const old = `session_token=${c.cookie("session_token")}`;
    const out = await c.post(LOGOUT);
    expect(out.status, out.text).toBe(200);
    expect(c.lastSetCookies.join("\n")).toMatch(/session_token=;.*Max-Age=0/i);
    expectError(await c.get(ME, { cookie: old }), 401, "not_authenticated", INVALID_SESSION);
    expectError(await c.get(KEYS, { cookie: old }), 401, "not_authenticated", INVALID_SESSION);
  });

  it("no cookie: 401 Not authenticated - no session token", async () => {
    const c = new Client();
    expectError(await c.get(ME), 401, "not_authenticated", NO_TOKEN);
    expectError(await c.get(KEYS), 401, "not_authenticated", NO_TOKEN);
    expectError(await c.post(TEST, { provider_type: "openai" }), 401, "not_authenticated", NO_TOKEN);
  });

  it("a tampered cookie is refused", async () => {
    const c = await signedIn(admin("auth"));
    const value = c.cookie("session_token")!;
    const i = Math.floor(value.length / 2);
    const flipped = value.slice(0, i) + (value[i] === "A" ? "B" : "A") + value.slice(i + 1);
    expectError(await c.get(ME, { cookie: `session_token=${flipped}` }), 401, "not_authenticated", INVALID_SESSION);
    expectError(await c.get(ME, { cookie: `session_token=${value.slice(0, -6)}` }), 401, "not_authenticated", INVALID_SESSION);
  });

  it("a cookie sealed with a foreign secret, or naming a session that was never issued, is refused", async () => {
    const foreign = await sealData({ t: randomBytes(32).toString("base64url") }, { password: randomBytes(32).toString("hex") });
    expectError(await new Client().get(ME, { cookie: `session_token=${foreign}` }), 401, "not_authenticated", INVALID_SESSION);
    // the real secret, but a token the server never stored: sessions are checked server-side
    const forged = await sealData({ t: randomBytes(32).toString("base64url") }, { password: { 1: inject("sessionSecret") } });
    expectError(await new Client().get(ME, { cookie: `session_token=${forged}` }), 401, "not_authenticated", INVALID_SESSION);
  });
});

describe("roles", () => {
  it("a viewer can sign in but gets 403 Admin access required on every provider endpoint", async () => {
    const c = await signedIn(users().viewer);
    const me = await c.get(ME);
    expect(me.body.user.role).toBe("viewer");
    const id = randomUUID();
    const attempts = [
      await c.get(KEYS),
      await c.post(KEYS, { provider_type: "openai", api_key: "x".repeat(30) }),
      await c.post(TEST, { provider_type: "openai", api_key: null }),
      await c.patch(`${KEYS}/${id}`, { enabled: false }),
      await c.delete(`${KEYS}/${id}`),
      await c.get(INFO),
    ];
    for (const res of attempts) {
      expectError(res, 403, "forbidden", "Admin access required");
      expect(res.text).not.toContain("viewer");
    }
  });

  it("disabling a user with the CLI ends their live session at once", async (ctx) => {
    ctx.skip(!isServices(), PGLITE_HELD);
    const who = users().toDisable;
    const c = await signedIn(who);
    expect((await c.get(KEYS)).status).toBe(200);
    const out = await runNpmScriptOk("users", ["disable", "--email", who.email], { env: inject("cliEnv") });
    expect(out.stdout).toContain(`${who.email} disabled`);
    expectError(await c.get(KEYS), 401, "not_authenticated", INVALID_SESSION);
    expectError(await c.get(ME), 401, "not_authenticated", INVALID_SESSION);
    expectError(await new Client().login(who.email, who.password), 401);
  });

  it("changing a role with the CLI takes effect on the next request", async (ctx) => {
    ctx.skip(!isServices(), PGLITE_HELD);
    const who = users().toDisable;
    const env = inject("cliEnv");
    await runNpmScriptOk("users", ["enable", "--email", who.email], { env });
    const c = await signedIn(who);
    expect((await c.get(KEYS)).status).toBe(200);
    await runNpmScriptOk("users", ["set-role", "--email", who.email, "--role", "viewer"], { env });
    expect([401, 403]).toContain((await c.get(KEYS)).status);
    const again = await signedIn(who);
    expectError(await again.get(KEYS), 403, "forbidden", "Admin access required");
    await runNpmScriptOk("users", ["disable", "--email", who.email], { env });
  });
});

describe("sign-in request validation", () => {
  it("a sign-in without email or password is a 400 naming the field", async () => {
    expectError(await new Client().post(LOGIN, { password: "x".repeat(12) }), 400, undefined, /^email: /);
    expectError(await new Client().post(LOGIN, { email: admin("auth").email }), 400, undefined, /^password: /);
  });
});

describe("sign-in rate limit (per account)", () => {
  it("after 10 failed attempts the account answers 429 with Retry-After, even to the right password", async () => {
    const who = users().lockout;
    for (let i = 0; i < 10; i++) {
      const res = await new Client().login(who.email, `wrong-password-${i}`);
      expect(res.status, `attempt ${i + 1}: ${res.text}`).toBe(401);
    }
    const limited = await new Client().login(who.email, `wrong-password-x`);
    expectError(limited, 429, "rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const right = await new Client().login(who.email, who.password);
    expectError(right, 429, "rate_limited");
    expect(right.headers.getSetCookie()).toEqual([]);
    // another account from the same address is not locked out by it
    expect((await new Client().login(admin("auth").email, admin("auth").password)).status).toBe(200);
  });
});
