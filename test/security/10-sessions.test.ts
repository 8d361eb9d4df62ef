// Sessions: a tampered cookie (fuzzed edits of a live one), a seal made with a foreign secret, an
// expired seal, a session row expired in the database, a cookie replayed after sign-out, and the live
// session of a user disabled with the CLI are all a 401 on every endpoint that needs a session.
import { createHash, randomBytes } from "node:crypto";
import fc from "fast-check";
import { sealData, unsealData } from "iron-session";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { INFO, KEYS, ME, TEST } from "../support/api";
import type { ApiResponse } from "../support/client";
import { runNpmScriptOk } from "../support/cli";
import { withSql } from "../support/db";
import { secAdmin, secUsers } from "./support/context";
import { Findings, pool, sample } from "./support/fuzz";
import { keysOf } from "./support/key-pool";
import { forgetSession, SecClient, secSignedIn } from "./support/sec-client";

const LABEL = "sessions";
const INVALID = "Invalid session - please login again";
const UUID = "00000000-0000-4000-8000-000000000000";
const password = () => ({ 1: inject("sessionSecret") });

/** One request to each endpoint that needs a session; all must be refused the same way. */
function everyEndpoint(c: SecClient, cookie: string): Promise<ApiResponse>[] {
  const opts = { cookie: `session_token=${cookie}` };
  return [
    c.get(ME, opts),
    c.get(KEYS, opts),
    c.get(INFO, opts),
    c.post(KEYS, { provider_type: "groq", api_key: keysOf("groq")[0] }, opts),
    c.post(TEST, { provider_type: "groq", api_key: keysOf("groq")[0] }, opts),
    c.patch(`${KEYS}/${UUID}`, { enabled: false }, opts),
    c.delete(`${KEYS}/${UUID}`, undefined, opts),
  ];
}

async function expectAllRefused(c: SecClient, cookie: string, why: string): Promise<void> {
  for (const res of await Promise.all(everyEndpoint(c, cookie))) {
    expect(res.status, `${why}: ${res.text}`).toBe(401);
    expect(res.body, why).toEqual({ detail: INVALID, code: "not_authenticated" });
  }
}

const tokenOf = async (cookie: string) => (await unsealData<{ t: string }>(cookie, { password: password() })).t;
const rowId = (token: string) => createHash("sha256").update(token).digest("hex");

describe("sessions", () => {
  let anon: SecClient;
  beforeAll(() => {
    anon = new SecClient(LABEL);
  });

  it("refuses fuzzed edits of a live cookie on every endpoint, and the live cookie keeps working", async () => {
    const admin = await secSignedIn(LABEL, secAdmin("session"));
    const live = admin.cookie("session_token")!;
    // Edits of the sealed part (before "~2"): iron-session reads the version suffix with parseInt, so
    // "~2x" still names version 2 — harmless, the seal itself is intact — and is left out here.
    const cut = live.lastIndexOf("~");
    const sealed = live.slice(0, cut);
    const suffix = live.slice(cut);
    const alphabet = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_*~.=%");
    const edit = fc.oneof(
      fc.tuple(fc.nat(sealed.length - 1), alphabet).map(([i, c]) => sealed.slice(0, i) + c + sealed.slice(i + 1) + suffix),
      fc.nat(sealed.length - 1).map((i) => sealed.slice(0, i) + sealed.slice(i + 1) + suffix),
      fc.tuple(fc.nat(sealed.length), alphabet).map(([i, c]) => sealed.slice(0, i) + c + sealed.slice(i) + suffix),
      fc.nat(live.length - 1).map((i) => live.slice(0, i)),
      fc.constantFrom(`${sealed}~1`, `${sealed}~3`, sealed, live.toUpperCase(), live.replace("*1*", "*2*"), live.replace(/\*\d{13}\*/, "*9999999999999*")),
      fc.constantFrom(live.split("*").reverse().join("*"), live.replace(/\*[^*]*\*/, "**")),
    );
    const cases = [...new Set(sample(edit, 260))].filter((c) => c !== live);
    const f = new Findings();
    await pool(cases, async (cookie, i) => {
      const res = await everyEndpoint(anon, cookie)[i % 7]!;
      f.check("tampered cookie", { method: "*", path: "*", headers: { cookie } }, res, (r) =>
        r.status === 401 && r.body.code === "not_authenticated" ? null : "expected 401 not_authenticated",
      );
    });
    f.assertClean();
    expect((await admin.get(ME)).status).toBe(200);
  });

  it("refuses a seal made with a foreign secret, but the same token sealed with the server's secret works", async () => {
    const admin = await secSignedIn(LABEL, secAdmin("session"));
    const token = await tokenOf(admin.cookie("session_token")!);
    for (const secret of [randomBytes(32).toString("base64url"), `${inject("sessionSecret")}x`, inject("sessionSecret").slice(0, 32)]) {
      await expectAllRefused(anon, await sealData({ t: token }, { password: { 1: secret } }), "foreign secret");
    }
    const resealed = await sealData({ t: token }, { password: password() });
    expect((await anon.get(ME, { cookie: `session_token=${resealed}` })).status).toBe(200);
  });

  it("refuses an expired seal of a live session", async () => {
    const admin = await secSignedIn(LABEL, secAdmin("session"));
    const token = await tokenOf(admin.cookie("session_token")!);
    // iron accepts a seal up to 60 s past its expiry (clock skew), so this one expired two minutes ago
    const expired = await sealData({ t: token }, { password: password(), ttl: -120 });
    await expectAllRefused(anon, expired, "expired seal");
    expect((await admin.get(ME)).status).toBe(200);
  });

  // The row is expired before the app reads it: an instance that had read it keeps its expiry in
  // its cache and compares it with the clock on every request (a session's expiry is never moved).
  it("refuses a session whose row expired in the database, at once", async () => {
    const admin = await secSignedIn(LABEL, secAdmin("session"));
    const cookie = admin.cookie("session_token")!;
    const id = rowId(await tokenOf(cookie));
    const n = await withSql((sql) => sql`update sessions set expires_at = now() - interval '1 second' where id = ${id}`);
    expect(n.count).toBe(1);
    forgetSession(cookie);
    await expectAllRefused(anon, cookie, "expired session row");
  });

  it("refuses a cookie replayed after sign-out on every endpoint", async () => {
    const admin = await secSignedIn(LABEL, secAdmin("session"));
    const cookie = admin.cookie("session_token")!;
    const id = rowId(await tokenOf(cookie));
    expect((await admin.post("/api/v1/auth/logout")).status).toBe(200);
    await expectAllRefused(anon, cookie, "replayed after sign-out");
    expect(await withSql((sql) => sql`select 1 from sessions where id = ${id}`)).toHaveLength(0);
  });

  it("ends a user's live sessions at once when the CLI changes the role, then disables the user", async () => {
    const who = secUsers().toDisable;
    const env = inject("cliEnv");
    const a = await secSignedIn(LABEL, who);
    const b = await secSignedIn(LABEL, who);
    expect((await a.get(KEYS)).status).toBe(200);
    await runNpmScriptOk("users", ["set-role", "--email", who.email, "--role", "viewer"], { env });
    expect([401, 403]).toContain((await a.get(KEYS)).status);
    forgetSession(a.cookie("session_token"));
    forgetSession(b.cookie("session_token"));
    const c = await secSignedIn(LABEL, who);
    expect((await c.get(KEYS)).status).toBe(403);
    const out = await runNpmScriptOk("users", ["disable", "--email", who.email], { env });
    expect(out.stdout).toContain(`${who.email} disabled`);
    forgetSession(c.cookie("session_token"));
    for (const s of [b, c]) await expectAllRefused(anon, s.cookie("session_token")!, "disabled user");
    const again = await anon.login(who.email, who.password);
    expect(again.status).toBe(401);
    expect(again.headers.getSetCookie()).toEqual([]);
  });
});
