// Sessions are cached in each instance under a shared token (lib/auth/session.ts): after both
// instances have served (and cached) a user's session, signing out, ending the session from the
// Users API, disabling, demoting or deleting the user takes effect on the OTHER instance's very next
// request. And the cache really serves: a warm instance answers while `sessions` and `users` are
// both locked.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { ME } from "../support/api";
import { Client } from "../support/client";
import { withSql } from "../support/db";
import { secAdmin } from "./support/context";

const UA = "llmhub-revocation/16";
const USERS = "/api/v1/users";
const PASSWORD = "a long revocation passphrase";

const client = (url: string) => {
  const c = new Client(url);
  c.defaultHeaders["user-agent"] = UA;
  return c;
};

let admin: Client;
let a: Client;
let b: Client;

beforeAll(async () => {
  a = client(inject("baseUrl"));
  b = client(inject("proxiedUrl"));
  b.defaultHeaders["x-forwarded-for"] = "100.64.16.1";
  admin = await client(inject("baseUrl")).signIn(secAdmin("session"));
});

/** A new user signed in on instance A; its session cookie, usable on both instances. */
async function signedInUser(role: "admin" | "viewer") {
  const email = `revoke-${randomBytes(4).toString("hex")}@example.com`;
  const made = await admin.post(USERS, { email, role, password: PASSWORD });
  expect(made.status, made.text).toBe(201);
  const user = await client(inject("baseUrl")).signIn({ email, password: PASSWORD });
  const cookie = `session_token=${user.cookie("session_token")}`;
  // both instances serve it twice: each holds it in its cache now
  for (let i = 0; i < 2; i++) expect(await statuses(cookie)).toEqual([200, 200]);
  return { id: (made.body as { user: { id: string } }).user.id, cookie };
}

/** GET /auth/me on each instance with this cookie. */
const statuses = async (cookie: string) => (await Promise.all([a.get(ME, { cookie }), b.get(ME, { cookie })])).map((r) => r.status);

describe("a session ended or a user changed through one instance", () => {
  it("signed out on A: refused on B at once", async () => {
    const u = await signedInUser("viewer");
    expect((await a.post("/api/v1/auth/logout", undefined, { cookie: u.cookie })).status).toBe(200);
    expect((await b.get(ME, { cookie: u.cookie })).status).toBe(401);
  });

  it("disabled: refused on both at once", async () => {
    const u = await signedInUser("viewer");
    expect((await admin.patch(`${USERS}/${u.id}`, { disabled: true })).status).toBe(200);
    expect(await statuses(u.cookie)).toEqual([401, 401]);
  });

  it("demoted: the admin session ends on both at once", async () => {
    const u = await signedInUser("admin");
    expect((await admin.patch(`${USERS}/${u.id}`, { role: "viewer" })).status).toBe(200);
    expect(await statuses(u.cookie)).toEqual([401, 401]);
  });

  it("its sessions ended by an admin: refused on both at once", async () => {
    const u = await signedInUser("viewer");
    expect((await admin.delete(`${USERS}/${u.id}/sessions`)).status).toBe(200);
    expect(await statuses(u.cookie)).toEqual([401, 401]);
  });

  it("deleted: refused on both at once", async () => {
    const u = await signedInUser("viewer");
    expect((await admin.delete(`${USERS}/${u.id}`)).status).toBe(200);
    expect(await statuses(u.cookie)).toEqual([401, 401]);
  });
});

describe("the session cache", () => {
  it("a warm instance answers a signed-in request without reading sessions or users (both locked)", async () => {
    const u = await signedInUser("viewer");
    const status = await withSql((sql) =>
      sql.begin(async (tx) => {
        await tx`lock table sessions, users in access exclusive mode`;
        // a request that read either table would wait for the lock (and time out here)
        const res = await fetch(`${inject("proxiedUrl")}${ME}`, { headers: { cookie: u.cookie, "user-agent": UA, "x-forwarded-for": "100.64.16.2" }, signal: AbortSignal.timeout(5000) });
        return res.status;
      }),
    );
    expect(status).toBe(200);
  });
});
