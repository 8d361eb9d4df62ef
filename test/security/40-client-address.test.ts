// The client address, which the audit log records and the per-address sign-in limit counts, must be
// the connection's when TRUST_PROXY is off (the default, README: X-Forwarded-For is taken only
// "behind a proxy you run"). Runs late on purpose: if the limit works, it locks 127.0.0.1 out of
// signing in for 15 minutes, and the files after this one do not sign in.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { withSql } from "../support/db";
import { pool } from "./support/fuzz";
import { SecClient } from "./support/sec-client";

const LABEL = "client-address";
const LOGIN = "/api/v1/auth/login";
const PER_ADDRESS = 50; // failed sign-ins per client address per 15 minutes (lib/rate-limit/limiter.ts)

const nobody = () => `nobody-${randomBytes(6).toString("hex")}@sec.example`;

describe("client address without a trusted proxy", () => {
  it("audits a sign-in with the connection's address, not a client-supplied X-Forwarded-For", async () => {
    const c = new SecClient(LABEL);
    const res = await c.post(LOGIN, { email: nobody(), password: "wrong password" }, { headers: { "x-forwarded-for": "198.51.100.77" } });
    expect(res.status).toBe(401);
    const [row] = await withSql((sql) => sql`select ip from audit_events where user_agent = ${`llmhub-sec/${LABEL};`} order by id desc limit 1`);
    expect(row?.ip, "the audit log recorded an address the client chose").toBe("127.0.0.1");
  });

  it("does not let a client dodge the per-address sign-in limit by rotating X-Forwarded-For", async () => {
    const c = new SecClient(LABEL);
    const statuses = await pool(
      Array.from({ length: PER_ADDRESS + 1 }, (_, i) => i),
      async (i) => (await c.post(LOGIN, { email: nobody(), password: "wrong password" }, { headers: { "x-forwarded-for": `203.0.113.${i % 250}, 198.51.100.${i % 250}` } })).status,
      4,
    );
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    const last = await c.post(LOGIN, { email: nobody(), password: "wrong password" }, { headers: { "x-forwarded-for": "192.0.2.200" } });
    expect(last.status, `${PER_ADDRESS + 2} failed sign-ins from one connection address, each naming another X-Forwarded-For`).toBe(429);
  });
});
