// Contract section 10, counted: every file booked, request by request, the audit record it must leave
// (action, outcome, status) under its own User-Agent; the audit log must hold exactly those, no more
// and no fewer. Also reports how many cases each endpoint received in this run.
import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { withSql } from "../support/db";
import { type TallyLine, UA_PREFIX } from "./support/sec-client";

const lines = (): TallyLine[] =>
  readFileSync(inject("tallyFile"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TallyLine);

const count = <T>(items: T[], key: (t: T) => string | null) => {
  const out: Record<string, number> = {};
  for (const it of items) {
    const k = key(it);
    if (k !== null) out[k] = (out[k] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
};

/** The endpoints of the brief; each must have had a thousand cases or more when the whole suite runs. */
const ENDPOINTS = ["GET /keys", "POST /keys", "POST /keys/test", "PATCH /keys/{id}", "DELETE /keys/{id}", "GET /info", "POST /auth/login", "POST /auth/logout", "GET /auth/me"];

describe("audit log against what was sent", () => {
  it("holds exactly one record per operation and per denial, by file, action, outcome and status", async () => {
    const sent = lines();
    expect(sent.length).toBeGreaterThan(0);
    const expected = count(sent, (l) => (l.audit ? `${l.label} ${l.audit}` : null));
    const rows = await withSql(
      (sql) => sql`select user_agent, action, outcome, status_code, count(*)::int as n from audit_events
                   where user_agent like ${`${UA_PREFIX}%`} group by 1, 2, 3, 4`,
    );
    const actual: Record<string, number> = {};
    for (const r of rows) {
      const label = String(r.user_agent).slice(UA_PREFIX.length).split(";")[0];
      const k = `${label} ${r.action}|${r.outcome}|${r.status_code}`;
      actual[k] = (actual[k] ?? 0) + r.n;
    }
    const byCategory = count(
      Object.entries(expected).flatMap(([k, n]) => Array.from({ length: n }, () => k.split(" ")[1]!)),
      (k) => k,
    );
    console.log(`audit records expected by category:\n${Object.entries(byCategory).map(([k, n]) => `  ${k}: ${n}`).join("\n")}`);
    expect(Object.fromEntries(Object.entries(actual).sort(([a], [b]) => a.localeCompare(b)))).toEqual(expected);
  });

  it("reports the cases each endpoint received (a thousand or more each when the whole suite runs)", () => {
    const sent = lines();
    const perEndpoint = count(sent, (l) => l.endpoint.replace(/^(GET|POST|PATCH|DELETE) \/auth/, "$1 /auth"));
    console.log(`cases per endpoint:\n${Object.entries(perEndpoint).map(([k, n]) => `  ${k.padEnd(24)} ${n}`).join("\n")}`);
    const labels = new Set(sent.map((l) => l.label));
    const whole = ["fuzz-save", "fuzz-test", "fuzz-id", "fuzz-reads", "fuzz-auth", "roles", "csrf"].every((l) => labels.has(l));
    if (!whole) return; // a partial run (some files filtered out)
    for (const e of ENDPOINTS) expect(perEndpoint[e] ?? 0, e).toBeGreaterThanOrEqual(1000);
  });
});
