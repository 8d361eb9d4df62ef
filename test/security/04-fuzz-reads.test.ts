// Fuzzing the reads: GET /keys, GET /info, GET /auth/me (and GET /keys/{id}/health when the build has
// it) with random query strings and odd headers answer an admin 200 with the same shape; random Cookie
// headers (many cookies, huge values, garbage session tokens) are a 401 {detail, code}, and a valid
// session among junk cookies still works.
import fc from "fast-check";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { INFO, KEYS, listRows, ME } from "../support/api";
import type { ApiResponse } from "../support/client";
import { cookieHeader, oddHeaders, queryString } from "./support/arbitraries";
import { secAdmin } from "./support/context";
import { Findings, pool, sample, snapshot } from "./support/fuzz";
import { type SecClient, secSignedIn } from "./support/sec-client";

const LABEL = "fuzz-reads";
let admin: SecClient;
let reads: { path: string; shape: (r: ApiResponse) => string | null }[] = [];

const listShape = (r: ApiResponse) =>
  r.status === 200 && r.body.success === true && Array.isArray(r.body.providers) && r.body.total === r.body.providers.length ? null : "expected 200 with the list";
const infoShape = (r: ApiResponse) => (r.status === 200 && r.body.total === 9 && r.body.providers.length === 9 ? null : "expected 200 with the nine providers");
const meShape = (email: string) => (r: ApiResponse) => (r.status === 200 && r.body.user?.email === email ? null : "expected 200 with the user");
/** The health history route is someone else's work in progress: any {detail, code} refusal is fine here. */
const healthShape = (r: ApiResponse) => (r.status === 200 || r.status === 400 || r.status === 404 ? null : "expected 200, 400 or 404");

describe("GET endpoints under fuzzing", () => {
  beforeAll(async () => {
    admin = await secSignedIn(LABEL, secAdmin("fuzz"));
    reads = [
      { path: KEYS, shape: listShape },
      { path: INFO, shape: infoShape },
      { path: ME, shape: meShape(secAdmin("fuzz").email) },
    ];
    if (inject("hasHealthRoute")) {
      const row = (await listRows(admin))[0]!;
      reads.push({ path: `${KEYS}/${row.id}/health`, shape: healthShape });
    }
  });

  it("answers an admin's reads with any query string and odd headers with 200 and the same shape", async () => {
    const arb = fc.record({ which: fc.nat({ max: 99 }), query: fc.option(queryString, { nil: "" }), headers: oddHeaders });
    const before = await snapshot();
    const f = new Findings();
    await pool(sample(arb, 1800), async ({ which, query, headers }) => {
      const read = reads[which % reads.length]!;
      const path = `${read.path}${query}`;
      const res = await admin.get(path, { headers });
      f.check(`GET ${read.path.replace(/keys\/[^/]+\/health/, "keys/{id}/health")}`, { method: "GET", path, headers }, res, read.shape);
    });
    expect(await snapshot(), "a read changed the database").toBe(before);
    console.log(`GET reads: ${f.cases} cases with fuzzed query strings and headers`);
    f.assertClean();
  });

  it("refuses random Cookie headers with 401 not_authenticated", async () => {
    const arb = fc.record({ which: fc.nat({ max: 99 }), cookie: cookieHeader });
    const f = new Findings();
    await pool(sample(arb, 900), async ({ which, cookie }) => {
      const read = reads[which % reads.length]!;
      const res = await admin.get(read.path, { cookie });
      f.check(`GET ${read.path}`, { method: "GET", path: read.path, headers: { cookie } }, res, (r) =>
        r.status === 401 && r.body.code === "not_authenticated" ? null : "expected 401 not_authenticated",
      );
    });
    console.log(`GET reads: ${f.cases} cases with fuzzed cookies`);
    f.assertClean();
  });

  it("still honours a valid session among many junk cookies", async () => {
    const own = `session_token=${admin.cookie("session_token")}`;
    const junk = cookieHeader.filter((c) => !c.includes("session_token") && c.length < 6000);
    const f = new Findings();
    await pool(sample(fc.tuple(junk, junk, fc.nat({ max: 99 })), 300), async ([a, b, which]) => {
      const read = reads[which % reads.length]!;
      const cookie = [a, own, b].filter(Boolean).join("; ");
      const res = await admin.get(read.path, { cookie });
      f.check(`GET ${read.path}`, { method: "GET", path: read.path, headers: { cookie } }, res, read.shape);
    });
    f.assertClean();
  });
});
