// The users API (/api/v1/users, issue 14 section 2): admins add users with a one-time password
// (shown once, changed at first sign-in), change roles, disable/enable, reset passwords, delete, and
// see and end each user's sessions; every change ends the affected sessions at once and is audited
// without a password. Each user changes their own password (the current one required; their other
// sessions end) and sees and ends their own sessions. Validation answers 400 naming the field.
// The last-admin rule needs a database with a single admin: lib/users/service.test.ts.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectError, ISO_UTC, ME, UUID } from "../support/api";
import { Client, signedIn } from "../support/client";
import { isServices, users } from "../support/context";
import { recordSecret } from "../support/keys";

const USERS = "/api/v1/users";
const MINE = "/api/v1/users/me";
const SIGNED_OUT = "Invalid session - please login again";

let admin: Client;
beforeAll(async () => {
  admin = await signedIn(users().bootstrap);
});

const email = (what: string) => `${what}-${randomBytes(3).toString("hex")}@example.com`;

/** A client with its own User-Agent, so its session can be told apart in a list. */
function browser(name: string): Client {
  const c = new Client();
  c.defaultHeaders["user-agent"] = name;
  return c;
}

/** Adds a user through the API; the one-time password is recorded as a secret (the final scan looks for it). */
async function addUser(role: "admin" | "viewer", who = email(role)) {
  const res = await admin.post(USERS, { email: who, role });
  expect(res.status, res.text).toBe(201);
  recordSecret(res.body.password);
  return { id: res.body.user.id as string, email: who, password: res.body.password as string };
}

/** Signs in with a one-time password and replaces it; answers the client and the new password. */
async function settle(u: { email: string; password: string }, name = "settle") {
  const c = browser(name);
  await c.signIn(u);
  const password = recordSecret(`pw-${randomBytes(12).toString("hex")}`);
  const res = await c.post(`${MINE}/password`, { current_password: u.password, new_password: password });
  expect(res.status, res.text).toBe(200);
  return { c, password };
}

describe("adding a user", () => {
  it("answers 201 with a one-time password, shown once and stored only hashed", async () => {
    const who = email("ana");
    const res = await admin.post(USERS, { email: who.toUpperCase(), role: "viewer" });
    expect(res.status, res.text).toBe(201);
    recordSecret(res.body.password);
    expect(res.body.password).toMatch(/^[\w-]{24}$/);
    expect(res.body.user).toMatchObject({ email: who, role: "viewer", disabled: false, must_change_password: true });
    expect(res.body.user.id).toMatch(UUID);
    expect(res.body.user.created_at).toMatch(ISO_UTC);
    expect(res.text).not.toMatch(/hash|scrypt/);
    const list = await admin.get(USERS);
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(res.body.password);
    expect(list.body.users.find((u: { email: string }) => u.email === who)).toMatchObject({ role: "viewer", live_sessions: 0, last_seen_at: null });
    expect((await admin.get(`${USERS}/${res.body.user.id}`)).body.user.password).toBeUndefined();
  });

  it("refuses bad input with a 400 naming the field, and a second user with the same email with 409", async () => {
    expectError(await admin.post(USERS, { role: "viewer" }), 400, "invalid_request", "email: field required");
    expectError(await admin.post(USERS, { email: "not-an-email" }), 400, "invalid_request", /^email: must be an email address/);
    expectError(await admin.post(USERS, { email: email("x"), role: "owner" }), 400, "invalid_request", "role: must be admin or viewer");
    expectError(await admin.post(USERS, { email: email("x"), password: "short" }), 400, "invalid_request", "password: must be at least 12 characters");
    expectError(await admin.post(USERS, { email: email("x"), is_admin: true }), 400, "invalid_request", "unknown field 'is_admin'");
    expectError(await admin.post(USERS, []), 400, "invalid_request");
    const taken = await addUser("viewer");
    expectError(await admin.post(USERS, { email: taken.email }), 409, "conflict", `A user ${taken.email} already exists`);
    expectError(await admin.patch(`${USERS}/${taken.id}`, {}), 400, "invalid_request", "send at least one of role, disabled");
    expectError(await admin.patch(`${USERS}/${taken.id}`, { disabled: "yes" }), 400, "invalid_request", "disabled: must be true or false");
    expectError(await admin.patch(`${USERS}/not-a-uuid`, { disabled: true }), 404, "not_found");
    expectError(await admin.delete(`${USERS}/00000000-0000-4000-8000-000000000000`), 404, "not_found", "User not found");
  });

  it("is for admins only: a viewer gets 403 on every admin endpoint, a stranger 401", async () => {
    const viewer = await signedIn(users().viewer);
    const id = "00000000-0000-4000-8000-000000000000";
    for (const res of [
      await viewer.get(USERS),
      await viewer.post(USERS, { email: email("v") }),
      await viewer.patch(`${USERS}/${id}`, { role: "admin" }),
      await viewer.delete(`${USERS}/${id}`),
      await viewer.post(`${USERS}/${id}/password`, {}),
      await viewer.get(`${USERS}/${id}/sessions`),
      await viewer.delete(`${USERS}/${id}/sessions`),
    ]) {
      expectError(res, 403, "forbidden", "Admin access required");
    }
    expectError(await new Client().get(USERS), 401, "not_authenticated");
    expectError(await admin.post(USERS, { email: email("csrf") }, { origin: "https://evil.example" }), 403, "csrf");
  });
});

describe("a one-time password", () => {
  it("lets its user do nothing but change it; the current password is required", async () => {
    const u = await addUser("admin");
    const c = browser("first-sign-in");
    const login = await c.login(u.email, u.password);
    expect(login.status, login.text).toBe(200);
    expect((await c.get(ME)).status).toBe(200);
    expect((await c.get(MINE)).body.user.must_change_password).toBe(true);
    expectError(await c.get(USERS), 403, "password_change_required");
    expectError(await c.get(`${MINE}/sessions`), 403, "password_change_required");
    expectError(await c.get("/api/v1/llm/hub-keys"), 403, "password_change_required");
    expectError(await c.post(`${MINE}/password`, { current_password: "wrong password!", new_password: "a-brand-new-passphrase" }), 400, "invalid_request", "current_password: is not your current password");
    expectError(await c.post(`${MINE}/password`, { current_password: u.password, new_password: "short" }), 400, "invalid_request", "new_password: must be at least 12 characters");
    expectError(await c.post(`${MINE}/password`, { current_password: u.password, new_password: u.password }), 400, "invalid_request", "new_password: must differ from the current password");
    const password = recordSecret(`pw-${randomBytes(12).toString("hex")}`);
    const changed = await c.post(`${MINE}/password`, { current_password: u.password, new_password: password });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.user.must_change_password).toBe(false);
    expect((await c.get(USERS)).status).toBe(200); // the same session goes on, now with its role
    expectError(await new Client().login(u.email, u.password), 401, "invalid_credentials");
    expect((await new Client().login(u.email, password)).status).toBe(200);
  });
});

describe("every change ends the affected sessions", () => {
  it("a role change, a disable and a password reset each sign the user out at once; enable lets them back", async () => {
    const u = await addUser("admin");
    const { c, password } = await settle(u);
    expect((await c.get(USERS)).status).toBe(200);

    const demoted = await admin.patch(`${USERS}/${u.id}`, { role: "viewer" });
    expect(demoted.status, demoted.text).toBe(200);
    expect(demoted.body).toMatchObject({ user: { role: "viewer" }, sessions_ended: true });
    expectError(await c.get(ME), 401, "not_authenticated", SIGNED_OUT);

    await c.signIn({ email: u.email, password });
    expectError(await c.get(USERS), 403, "forbidden");
    expect((await admin.patch(`${USERS}/${u.id}`, { disabled: true })).body.user.disabled).toBe(true);
    expectError(await c.get(ME), 401, "not_authenticated", SIGNED_OUT);
    expectError(await new Client().login(u.email, password), 401, "invalid_credentials");

    const enabled = await admin.patch(`${USERS}/${u.id}`, { disabled: false });
    expect(enabled.body).toMatchObject({ user: { disabled: false }, sessions_ended: false });
    await c.signIn({ email: u.email, password });

    const reset = await admin.post(`${USERS}/${u.id}/password`, {});
    expect(reset.status, reset.text).toBe(200);
    recordSecret(reset.body.password);
    expect(reset.body.user.must_change_password).toBe(true);
    expectError(await c.get(ME), 401, "not_authenticated", SIGNED_OUT);
    expectError(await new Client().login(u.email, password), 401, "invalid_credentials");
    const again = await signedIn({ email: u.email, password: reset.body.password });
    expect((await again.get(MINE)).body.user.must_change_password).toBe(true);
  });

  it("deleting a user ends their sessions and the account", async () => {
    const u = await addUser("viewer");
    const { c, password } = await settle(u);
    const del = await admin.delete(`${USERS}/${u.id}`);
    expect(del.status, del.text).toBe(200);
    expect(del.body).toMatchObject({ success: true, id: u.id });
    expectError(await c.get(ME), 401, "not_authenticated", SIGNED_OUT);
    expectError(await new Client().login(u.email, password), 401, "invalid_credentials");
    expectError(await admin.get(`${USERS}/${u.id}`), 404, "not_found");
    expectError(await admin.delete(`${USERS}/${u.id}`), 404, "not_found");
  });
});

describe("sessions", () => {
  it("an admin sees a user's live sessions and signs out one, then all", async () => {
    const u = await addUser("viewer");
    const { c: laptop, password } = await settle(u, "laptop-browser");
    const phone = browser("phone-browser");
    await phone.signIn({ email: u.email, password });
    const list = await admin.get(`${USERS}/${u.id}/sessions`);
    expect(list.status, list.text).toBe(200);
    expect(list.body.total).toBe(2);
    const byAgent = Object.fromEntries(list.body.sessions.map((s: { user_agent: string }) => [s.user_agent, s]));
    expect(Object.keys(byAgent).sort()).toEqual(["laptop-browser", "phone-browser"]);
    for (const s of list.body.sessions) {
      expect(s).toMatchObject({ current: false });
      expect(s.id).toMatch(/^[\w-]{22}$/);
      expect(s.created_at).toMatch(ISO_UTC);
      expect(s.last_seen_at).toMatch(ISO_UTC);
    }
    expect((await admin.get(USERS)).body.users.find((x: { id: string }) => x.id === u.id).live_sessions).toBe(2);

    const one = await admin.delete(`${USERS}/${u.id}/sessions/${byAgent["phone-browser"].id}`);
    expect(one.status, one.text).toBe(200);
    expect(one.body.ended).toBe(1);
    expectError(await phone.get(ME), 401, "not_authenticated", SIGNED_OUT);
    expect((await laptop.get(ME)).status).toBe(200);
    expectError(await admin.delete(`${USERS}/${u.id}/sessions/${byAgent["phone-browser"].id}`), 404, "not_found");

    const all = await admin.delete(`${USERS}/${u.id}/sessions`);
    expect(all.body.ended).toBe(1);
    expectError(await laptop.get(ME), 401, "not_authenticated", SIGNED_OUT);
    expect((await admin.get(`${USERS}/${u.id}/sessions`)).body.total).toBe(0);
  });

  it("a user sees their own sessions, ends one, and signs out all others; a password change ends the others", async () => {
    const u = await addUser("viewer");
    const { c: here, password } = await settle(u, "here");
    const there = browser("there");
    await there.signIn({ email: u.email, password });
    const elsewhere = browser("elsewhere");
    await elsewhere.signIn({ email: u.email, password });

    const mine = await here.get(`${MINE}/sessions`);
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body.total).toBe(3);
    expect(mine.body.sessions.filter((s: { current: boolean }) => s.current).map((s: { user_agent: string }) => s.user_agent)).toEqual(["here"]);
    const thereId = mine.body.sessions.find((s: { user_agent: string }) => s.user_agent === "there").id;
    expect((await here.delete(`${MINE}/sessions/${thereId}`)).body.ended).toBe(1);
    expectError(await there.get(ME), 401, "not_authenticated", SIGNED_OUT);
    // another user's session is not theirs to end
    const adminSessions = await admin.get(`${MINE}/sessions`);
    const adminOwn = adminSessions.body.sessions.find((s: { current: boolean }) => s.current).id;
    expectError(await here.delete(`${MINE}/sessions/${adminOwn}`), 404, "not_found");

    const others = await here.delete(`${MINE}/sessions`);
    expect(others.body.ended).toBe(1);
    expectError(await elsewhere.get(ME), 401, "not_authenticated", SIGNED_OUT);
    expect((await here.get(ME)).status).toBe(200);

    await there.signIn({ email: u.email, password });
    const next = recordSecret(`pw-${randomBytes(12).toString("hex")}`);
    expect((await here.post(`${MINE}/password`, { current_password: password, new_password: next })).status).toBe(200);
    expectError(await there.get(ME), 401, "not_authenticated", SIGNED_OUT);
    expect((await here.get(ME)).status).toBe(200);
  });

  it("failed password changes are rate-limited like sign-in", async () => {
    const u = await addUser("viewer");
    const { c } = await settle(u);
    for (let i = 0; i < 10; i++) expectError(await c.post(`${MINE}/password`, { current_password: `wrong-${i}`, new_password: "a-long-new-passphrase" }), 400, "invalid_request");
    const limited = await c.post(`${MINE}/password`, { current_password: "wrong-x", new_password: "a-long-new-passphrase" });
    expectError(limited, 429, "rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe.skipIf(!isServices())("audit and storage", () => {
  let sql: postgres.Sql;
  beforeAll(() => {
    sql = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
  });
  afterAll(() => sql.end());

  it("audits each change with who did it, never with a password", async () => {
    const u = await addUser("viewer");
    const { c, password } = await settle(u);
    await admin.patch(`${USERS}/${u.id}`, { role: "admin" });
    await c.signIn({ email: u.email, password });
    await admin.patch(`${USERS}/${u.id}`, { disabled: true });
    await admin.patch(`${USERS}/${u.id}`, { disabled: false });
    const reset = await admin.post(`${USERS}/${u.id}/password`, {});
    recordSecret(reset.body.password);
    await admin.delete(`${USERS}/${u.id}/sessions`);
    await admin.delete(`${USERS}/${u.id}`);
    const rows = await sql`select action, outcome, actor_email, detail from audit_events where target = ${u.id} order by id`;
    expect(rows.map((r) => r.action)).toEqual(["user.create", "user.password_change", "user.update", "user.update", "user.update", "user.password_reset", "session.revoke", "user.delete"]);
    expect(rows.filter((r) => r.action !== "user.password_change").every((r) => r.actor_email === users().bootstrap.email)).toBe(true);
    expect(rows[0]!.detail).toMatchObject({ email: u.email, role: "viewer", one_time_password: true });
    expect(rows[2]!.detail).toMatchObject({ changed: { role: ["viewer", "admin"] }, sessions_ended: true });
    expect(rows[3]!.detail).toMatchObject({ changed: { disabled: [false, true] }, sessions_ended: true });
    const text = JSON.stringify(rows);
    for (const secret of [u.password, password, reset.body.password]) expect(text).not.toContain(secret);
    const [stored] = await sql`select count(*)::int as n from users where id = ${u.id}`;
    expect(stored!.n).toBe(0);
    const denied = await sql`select count(*)::int as n from audit_events where action like 'user.%' and outcome = 'denied'`;
    expect(denied[0]!.n).toBeGreaterThan(0);
  });
});
