// Fuzzing POST /api/v1/auth/login and /logout: malformed sign-in bodies are a 4xx {detail, code} that
// creates no session and spends no sign-in budget; well-formed wrong credentials are a 401 with no
// cookie; sign-out answers 200 to any body, content type or cookie and ends only a live session.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { loginSchema } from "../../lib/schemas/login";
import { ME } from "../support/api";
import { anyJson, anyValue, contentType, cookieHeader, nearValid, objectText, oddHeaders, rawBody } from "./support/arbitraries";
import { secAdmin } from "./support/context";
import { Findings, pool, sample, snapshot } from "./support/fuzz";
import { disagreements, expectRejected, isRejected, judgeBody, LOGIN_RULES } from "./support/oracle";
import { SecClient, secSignedIn } from "./support/sec-client";

const LABEL = "fuzz-auth";
const LOGIN = "/api/v1/auth/login";
const LOGOUT = "/api/v1/auth/logout";
/** Failed sign-ins from 127.0.0.1 are limited to 50 per 15 minutes for the whole suite: spend few. */
const WRONG_CREDENTIALS = 20;

const loginSpec = {
  email: { valid: fc.emailAddress(), invalid: fc.oneof(anyValue, fc.constantFrom("", "a", "x".repeat(255))) },
  password: { valid: fc.string({ minLength: 1, maxLength: 40 }), invalid: fc.oneof(anyValue, fc.constant(""), fc.constant("p".repeat(1025))) },
};

describe("sign-in and sign-out under fuzzing", () => {
  let anon: SecClient;
  beforeAll(() => {
    anon = new SecClient(LABEL);
  });

  it("reads sign-in bodies as the contract does: unknown fields are ignored, null or wrong types are refused", () => {
    const texts = [...sample(nearValid(loginSpec, 2), 3000), ...sample(anyJson, 300).map((v) => JSON.stringify(v))];
    expect(disagreements(loginSchema, LOGIN_RULES, texts)).toEqual([]);
  });

  it("signs in with the fields an old client adds (ignored), and refuses null credentials", async () => {
    const { email, password } = secAdmin("fuzz");
    const text = objectText([["email", email], ["password", password], ["remember_me", true], ["__proto__", { role: "viewer" }], ["otp", null]]);
    const client = new SecClient(LABEL);
    const ok = await client.post(LOGIN, undefined, { raw: text, contentType: "application/json" });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.user).toMatchObject({ email, role: "admin" });
    expect((await client.get(ME)).status).toBe(200);
    const nulls = await anon.post(LOGIN, { email, password: null }, { cookie: null });
    expect(nulls.status, nulls.text).toBe(400);
    expect(nulls.body).toEqual({ detail: "password: must be a string", code: "invalid_request" });
  });

  it("refuses every malformed sign-in body with a 4xx {detail, code}, sets no cookie and creates no session", async () => {
    const json = "application/json";
    const cases = [
      ...sample(anyJson, 300).map((v) => ({ type: json, text: JSON.stringify(v) })),
      ...sample(nearValid(loginSpec, 2), 900).map((text) => ({ type: json, text })),
      ...sample(rawBody, 250).map((text) => ({ type: json, text })),
      ...sample(fc.tuple(contentType, fc.oneof(nearValid(loginSpec, 0), rawBody)), 300).map(([type, text]) => ({ type, text })),
    ].filter((c) => isRejected(judgeBody(LOGIN_RULES, c.type, c.text)));
    expect(cases.length).toBeGreaterThan(1000);
    const before = await snapshot();
    const f = new Findings();
    await pool(cases, async ({ type, text }) => {
      const verdict = judgeBody(LOGIN_RULES, type, text);
      if (!isRejected(verdict)) throw new Error("unreachable");
      const res = await anon.post(LOGIN, undefined, { raw: text, contentType: type, cookie: null });
      f.check("POST /auth/login", { method: "POST", path: LOGIN, headers: { "content-type": type }, body: text }, res, (r) =>
        r.headers.getSetCookie().length ? "set a cookie" : expectRejected(verdict)(r),
      );
    });
    expect(await snapshot(), "a refused sign-in changed the database").toBe(before);
    console.log(`POST /auth/login: ${f.cases} malformed bodies`);
    f.assertClean();
  });

  it("answers well-formed wrong credentials (unicode, long, odd headers) with 401 and no cookie", async () => {
    const email = fc.oneof(fc.emailAddress(), fc.string({ unit: "grapheme", minLength: 3, maxLength: 60 }).filter((s) => s.trim().length >= 3 && !s.includes("\u0000")));
    const password = fc.oneof(fc.string({ unit: "binary", minLength: 1, maxLength: 60 }), fc.constant("p".repeat(1024)), fc.constant(secAdmin("fuzz").password));
    const before = await snapshot();
    const f = new Findings();
    await pool(sample(fc.record({ email, password, headers: oddHeaders }), WRONG_CREDENTIALS), async ({ email, password, headers }) => {
      delete headers["x-forwarded-for"]; // the per-address budget must stay on 127.0.0.1 (see 40-client-address)
      delete headers["x-real-ip"];
      const res = await anon.post(LOGIN, { email, password }, { cookie: null, headers });
      f.check("POST /auth/login", { method: "POST", path: LOGIN, headers, body: JSON.stringify({ email, password }) }, res, (r) => {
        if (r.status === 307) return null;
        if (r.status !== 401 || r.body.code !== "invalid_credentials") return "expected 401 invalid_credentials";
        return r.headers.getSetCookie().length ? "set a cookie" : null;
      });
    });
    expect(await snapshot(), "a failed sign-in changed the database").toBe(before);
    f.assertClean();
  });

  it("answers sign-out with 200 whatever the body, content type or cookie, and touches no session it cannot name", async () => {
    const victim = await secSignedIn(LABEL, secAdmin("fuzz"));
    const arb = fc.record({ type: contentType, text: fc.oneof(rawBody, anyJson.map((v) => JSON.stringify(v))), cookie: fc.option(cookieHeader, { nil: null }) });
    const before = await snapshot();
    const f = new Findings();
    await pool(sample(arb, 1000), async ({ type, text, cookie }) => {
      const res = await anon.post(LOGOUT, undefined, { raw: text, contentType: type, cookie });
      f.check("POST /auth/logout", { method: "POST", path: LOGOUT, headers: { "content-type": type, cookie: cookie ?? "" }, body: text }, res, (r) =>
        r.status === 200 && r.body.success === true ? null : "expected 200",
      );
    });
    expect(await snapshot(), "a sign-out without a live session changed the database").toBe(before);
    expect((await victim.get(ME)).status, "the signed-in admin was signed out by someone else's request").toBe(200);
    console.log(`POST /auth/logout: ${f.cases} fuzzed requests`);
    f.assertClean();
    // and a live session ends whatever body comes with the sign-out
    const old = victim.cookie("session_token");
    const out = await victim.post(LOGOUT, undefined, { raw: "garbage", contentType: "text/plain" });
    expect(out.status).toBe(200);
    expect((await victim.get(ME, { cookie: `session_token=${old}` })).status).toBe(401);
  });

  it("answers a sign-in whose email holds a NUL character with a 4xx, never a 500", async () => {
    const f = new Findings();
    for (const email of ["\u0000", "a\u0000b@sec.example", `${secAdmin("fuzz").email}\u0000`]) {
      const body = { email, password: "wrong password" };
      const res = await anon.post(LOGIN, body, { cookie: null });
      f.check("POST /auth/login", { method: "POST", path: LOGIN, body: JSON.stringify(body) }, res, (r) => (r.status === 400 || r.status === 401 ? null : "expected 400 or 401"));
    }
    f.assertClean();
  });
});
