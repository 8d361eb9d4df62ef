// The users service on a real PostgreSQL database of its own: the last enabled admin can be neither
// demoted, disabled nor deleted, even when two admins are demoted/disabled at the same moment (the
// check runs under row locks); changes end the affected sessions in the same transaction; one-time
// passwords are stored hashed and flagged; a password change keeps only the caller's session.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appSecrets, createDatabase, dropDatabase, pgUrl } from "@/test/support/app-services";

const DB = `llmhub_users_${randomBytes(4).toString("hex")}`;
const cli = { actor: { id: null, email: "cli:test" }, request: null };

type Service = typeof import("./service");
let svc: Service;

beforeAll(async () => {
  await createDatabase(DB);
  Object.assign(process.env, { DATABASE_URL: pgUrl(DB), LOG_LEVEL: "error", ...appSecrets() });
  delete process.env.REDIS_URL;
  const { getDb } = await import("@/lib/db/client");
  await (await import("@/lib/db/migrate")).migrate(await getDb());
  svc = await import("./service");
}, 120_000);

afterAll(async () => {
  await (await import("@/lib/db/client")).closeDb();
  await dropDatabase(DB);
});

const email = (what: string) => `${what}-${randomBytes(3).toString("hex")}@example.com`;
const addAdmin = async () => (await svc.createUser(cli, { email: email("admin"), role: "admin", password: "a-long-admin-password" })).user;

/** Starts `n` sessions for a user the way sign-in does, and answers their stored ids. */
async function sessionsFor(userId: string, n: number): Promise<string[]> {
  const { insertSession } = await import("@/lib/db/queries/sessions");
  const ids = Array.from({ length: n }, () => randomBytes(32).toString("hex"));
  for (const id of ids) await insertSession({ id, userId, expiresAt: new Date(Date.now() + 3600_000), ip: "192.0.2.1", userAgent: "test" });
  return ids;
}

async function liveSessions(userId: string): Promise<string[]> {
  const { listLiveSessionsByUser } = await import("@/lib/db/queries/sessions");
  return (await listLiveSessionsByUser(userId)).map((s) => s.id);
}

async function enabledAdmins(): Promise<number> {
  return (await import("@/lib/db/queries/users")).countAdmins();
}

/** Disables every enabled admin but `keep`, so that `keep` is the last one. */
async function onlyAdmin(keep: string) {
  for (const u of (await svc.listUserViews()).users) if (u.role === "admin" && !u.disabled && u.id !== keep) await svc.updateUser(cli, u.id, { disabled: true });
}

describe("the last enabled admin", () => {
  it("cannot be demoted, disabled or deleted; with a second admin they can", async () => {
    const a = await addAdmin();
    await onlyAdmin(a.id);
    for (const attempt of [() => svc.updateUser(cli, a.id, { role: "viewer" }), () => svc.updateUser(cli, a.id, { disabled: true }), () => svc.deleteUser(cli, a.id)]) {
      await expect(attempt()).rejects.toMatchObject({ code: "last_admin", status: 409, detail: svc.LAST_ADMIN });
    }
    expect(await enabledAdmins()).toBe(1);
    // a change that takes nothing away is fine
    expect((await svc.updateUser(cli, a.id, { role: "admin", disabled: false })).user.role).toBe("admin");

    const b = await addAdmin();
    expect((await svc.updateUser(cli, a.id, { role: "viewer" })).user.role).toBe("viewer");
    await expect(svc.deleteUser(cli, b.id)).rejects.toMatchObject({ code: "last_admin" });
  });

  it("stays when two admins are disabled or demoted at the same moment (row locks, not a count read before)", async () => {
    for (let round = 0; round < 6; round++) {
      const [a, b] = [await addAdmin(), await addAdmin()];
      await onlyAdmin(a.id);
      await svc.updateUser(cli, b.id, { disabled: false });
      expect(await enabledAdmins()).toBe(2);
      const changes = round % 2 ? [{ disabled: true }, { role: "viewer" as const }] : [{ role: "viewer" as const }, { disabled: true }];
      const results = await Promise.allSettled([svc.updateUser(cli, a.id, changes[0]!), round < 3 ? svc.updateUser(cli, b.id, changes[1]!) : svc.deleteUser(cli, b.id)]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const refused = results.find((r) => r.status === "rejected");
      expect(refused?.reason).toMatchObject({ code: "last_admin" });
      expect(await enabledAdmins()).toBe(1);
    }
  }, 60_000);
});

describe("changes end the affected sessions", () => {
  it("a role change, a disable, a reset and a delete end all of them; enable and a no-op disable do not", async () => {
    await addAdmin(); // someone else stays admin
    const u = (await svc.createUser(cli, { email: email("user"), role: "viewer", password: "a-long-user-password" })).user;
    await sessionsFor(u.id, 2);
    await svc.updateUser(cli, u.id, { disabled: false });
    expect(await liveSessions(u.id)).toHaveLength(2);
    await svc.updateUser(cli, u.id, { role: "admin" });
    expect(await liveSessions(u.id)).toHaveLength(0);

    await sessionsFor(u.id, 2);
    await svc.updateUser(cli, u.id, { disabled: true });
    expect(await liveSessions(u.id)).toHaveLength(0);
    await svc.updateUser(cli, u.id, { disabled: false });

    await sessionsFor(u.id, 1);
    const reset = await svc.resetPassword(cli, u.id, {});
    expect(reset.password).toMatch(/^[\w-]{24}$/);
    expect(reset.user.must_change_password).toBe(true);
    expect(await liveSessions(u.id)).toHaveLength(0);

    await sessionsFor(u.id, 1);
    await svc.deleteUser(cli, u.id);
    expect(await liveSessions(u.id)).toHaveLength(0);
    await expect(svc.findUser(u.id)).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("passwords", () => {
  it("a generated one-time password is returned once, stored as a scrypt hash, and flagged", async () => {
    const out = await svc.createUser(cli, { email: email("one-time"), role: "viewer" });
    expect(out.password).toMatch(/^[\w-]{24}$/);
    const row = await svc.findUser(out.user.id);
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect(row.passwordHash).not.toContain(out.password!);
    expect(row.mustChangePassword).toBe(true);
    const { verifyPassword } = await import("@/lib/auth/password");
    expect(await verifyPassword(out.password!, row.passwordHash)).toBe(true);
    // a password that was given is the user's own: no flag, and not repeated in the answer
    const given = await svc.createUser(cli, { email: email("given"), role: "viewer", password: "chosen-by-the-admin" });
    expect(given.password).toBeNull();
    expect(given.user.must_change_password).toBe(false);
    await expect(svc.createUser(cli, { email: given.user.email, role: "admin" })).rejects.toMatchObject({ code: "conflict", status: 409 });
  });

  it("changing your own password needs the current one, clears the flag and keeps only this session", async () => {
    const { changeOwnPassword } = await import("./self");
    const made = await svc.createUser(cli, { email: email("self"), role: "viewer" });
    const [mine, other] = await sessionsFor(made.user.id, 2);
    const call = { actor: { id: made.user.id, email: made.user.email, role: "viewer" as const, sessionId: mine!, mustChangePassword: true }, request: { ip: null, userAgent: null } };
    await expect(changeOwnPassword(call, { current_password: "not-the-password", new_password: "my-own-long-password" })).rejects.toMatchObject({ code: "invalid_request", status: 400 });
    expect(await liveSessions(made.user.id)).toHaveLength(2);
    const out = await changeOwnPassword(call, { current_password: made.password!, new_password: "my-own-long-password" });
    expect(out.user.must_change_password).toBe(false);
    expect(await liveSessions(made.user.id)).toEqual([mine]);
    expect(await liveSessions(made.user.id)).not.toContain(other);
  });
});

describe("a session's last use", () => {
  it("is written when a request comes more than a minute after the last write, not on every request", async () => {
    const { createSession, resolveSession } = await import("@/lib/auth/session");
    const { getDb } = await import("@/lib/db/client");
    const { sql } = await import("drizzle-orm");
    const { rowsOf } = await import("@/lib/db/rows");
    const u = (await svc.createUser(cli, { email: email("seen"), role: "viewer", password: "a-long-user-password" })).user;
    const { cookie } = await createSession(u.id, { ip: "192.0.2.7", userAgent: "test" });
    const db = await getDb();
    const backdate = (seconds: number) => db.execute(sql.raw(`update sessions set last_seen_at = now() - interval '${seconds} seconds' where user_id = '${u.id}'`));
    const age = async () => rowsOf<{ s: number }>(await db.execute(sql.raw(`select extract(epoch from now() - last_seen_at)::float8 as s from sessions where user_id = '${u.id}'`)))[0]!.s;

    await backdate(30);
    expect((await resolveSession(cookie))?.id).toBe(u.id);
    expect(await age()).toBeGreaterThanOrEqual(29); // seen 30 s ago: not written again
    await backdate(300);
    expect((await resolveSession(cookie))?.email).toBe(u.email);
    expect(await age()).toBeLessThan(5); // five minutes ago: now
    const [view] = (await (await import("./sessions")).listSessionViews(u, null)).sessions;
    expect(view).toMatchObject({ ip: "192.0.2.7", user_agent: "test", current: false });
  });
});
