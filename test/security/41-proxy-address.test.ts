// The client address behind a proxy (TRUST_PROXY=1 on the second instance): the address the proxy
// appended, never one the client wrote further left, is what the audit log records and the
// per-address sign-in limit counts; IPv6 clients are counted by their /64.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { withSql } from "../support/db";
import { pool } from "./support/fuzz";
import { LOGIN, PER_ADDRESS, proxiedClient, tally, userAgent } from "./support/proxied";

const LABEL = "proxy-address";
const nobody = () => `nobody-${randomBytes(6).toString("hex")}@sec.example`;
const WRONG = "wrong password";

describe("client address behind one trusted proxy", () => {
  it("audits the address the proxy appended, not the client's own X-Forwarded-For entries", async () => {
    const c = proxiedClient(LABEL, "198.51.100.66, 203.0.113.50");
    const res = await c.post(LOGIN, { email: nobody(), password: WRONG });
    expect(res.status, res.text).toBe(401);
    const [row] = await withSql((sql) => sql`select ip from audit_events where user_agent = ${userAgent(LABEL)} order by id desc limit 1`);
    expect(row?.ip, "the audit log recorded an address the client chose").toBe("203.0.113.50");
  });

  it("limits failed sign-ins by that address however the client varies the entries to its left", async () => {
    const c = proxiedClient(LABEL, "");
    const statuses = await pool(
      Array.from({ length: PER_ADDRESS + 10 }, (_, i) => i),
      async (i) => (await c.post(LOGIN, { email: nobody(), password: WRONG }, { headers: { "x-forwarded-for": `198.51.100.${i}, 203.0.113.51` } })).status,
      4,
    );
    expect(tally(statuses), `${PER_ADDRESS + 10} failed sign-ins from 203.0.113.51, each with another forged address to its left`).toEqual({
      401: PER_ADDRESS,
      429: 10,
    });
  });
});

describe("per-address sign-in limit for IPv6 clients", () => {
  it("counts every address of one /64 together, and another /64 apart", async () => {
    const c = proxiedClient(LABEL, "");
    const from = (address: string) => ({ headers: { "x-forwarded-for": address } });
    const statuses = await pool(
      Array.from({ length: PER_ADDRESS + 1 }, (_, i) => i),
      async (i) => (await c.post(LOGIN, { email: nobody(), password: WRONG }, from(`2001:db8:41:7:${(i + 1).toString(16)}::${randomBytes(2).toString("hex")}`))).status,
      4,
    );
    expect(tally(statuses), `${PER_ADDRESS + 1} failed sign-ins from ${PER_ADDRESS + 1} addresses of 2001:db8:41:7::/64`).toEqual({ 401: PER_ADDRESS, 429: 1 });
    const limited = await c.post(LOGIN, { email: nobody(), password: WRONG }, from("2001:DB8:41:7:FFFF:FFFF:FFFF:FFFF"));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const neighbour = await c.post(LOGIN, { email: nobody(), password: WRONG }, from("2001:db8:41:8::1"));
    expect(neighbour.status, "the next /64 has its own budget").toBe(401);
  });
});
