// Roles: a viewer is 403 "Admin access required" on every /api/v1/llm/providers/* endpoint and every
// provider mutation, and a caller without a session is 401, whatever body, content type, header or id
// comes with the request; neither changes anything. Prototype-pollution bodies sent earlier have not
// made anyone an admin.
import fc from "fast-check";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { INFO, KEYS, ME, TEST } from "../support/api";
import { anyJson, contentType, idArb, idPath, JSON_TYPES, oddHeaders, rawBody } from "./support/arbitraries";
import { secUsers } from "./support/context";
import { Findings, pool, sample, snapshot } from "./support/fuzz";
import { goodKey } from "./support/key-pool";
import { routeOf, SecClient, secSignedIn } from "./support/sec-client";

const LABEL = "roles";

/** Every provider endpoint, with a generated id for the ones that take one. */
function providerRequests(withHealth: boolean) {
  const endpoints: [string, (id: string) => string][] = [
    ["GET", () => KEYS],
    ["POST", () => KEYS],
    ["POST", () => TEST],
    ["GET", () => INFO],
    ["PATCH", (id) => idPath(KEYS, id, false)],
    ["DELETE", (id) => idPath(KEYS, id, false)],
  ];
  if (withHealth) endpoints.push(["GET", (id) => `${idPath(KEYS, id, false)}/health`]);
  const body = fc.oneof(
    fc.record({ provider_type: fc.constantFrom("openai", "custom"), api_key: goodKey }).map((v) => JSON.stringify(v)),
    fc.constant(JSON.stringify({ enabled: false, priority: 1000 })),
    anyJson.map((v) => JSON.stringify(v)),
    rawBody,
  );
  return fc.record({
    which: fc.nat(endpoints.length - 1),
    id: fc.oneof(fc.uuid(), idArb),
    body,
    type: fc.oneof(fc.constantFrom(...JSON_TYPES), contentType),
    headers: oddHeaders,
  }).map(({ which, id, body, type, headers }) => {
    const [method, path] = endpoints[which]!;
    return { method, path: path(id), body: method === "GET" ? undefined : body, type, headers };
  });
}

describe("roles", () => {
  let viewer: SecClient;
  beforeAll(async () => {
    viewer = await secSignedIn(LABEL, secUsers().viewer);
  });

  it("a viewer is still a viewer after the prototype-pollution bodies of the fuzzing files", async () => {
    const me = await viewer.get(ME);
    expect(me.status).toBe(200);
    expect(me.body.user.role).toBe("viewer");
    expect((await viewer.get(KEYS)).status).toBe(403);
  });

  it("refuses a viewer with 403 Admin access required on every provider endpoint, whatever comes with it", async () => {
    const cases = sample(providerRequests(inject("hasHealthRoute")), 1400).filter((c) => routeOf(c.method, c.path).action);
    const before = await snapshot();
    const f = new Findings();
    await pool(cases, async (c) => {
      const res = await viewer.request(c.method, c.path, undefined, { raw: c.body, contentType: c.body === undefined ? undefined : c.type, headers: c.headers });
      f.check(routeOf(c.method, c.path).endpoint, { method: c.method, path: c.path, headers: { ...c.headers, "content-type": c.type }, body: c.body }, res, (r) => {
        if (r.status !== 403 || r.body.code !== "forbidden" || r.body.detail !== "Admin access required") return "expected 403 Admin access required";
        return /viewer/i.test(r.text) ? "the refusal names the caller's role" : null;
      });
    });
    expect(await snapshot(), "a viewer's request changed the database").toBe(before);
    console.log(`viewer: ${f.cases} refused requests`);
    f.assertClean();
  });

  it("refuses a caller without a session with 401 on every provider endpoint and /auth/me", async () => {
    const anon = new SecClient(LABEL);
    const arb = fc.oneof(
      { weight: 6, arbitrary: providerRequests(inject("hasHealthRoute")) },
      { weight: 1, arbitrary: oddHeaders.map((headers) => ({ method: "GET", path: ME, body: undefined, type: "", headers })) },
    );
    const cases = sample(arb, 1400).filter((c) => routeOf(c.method, c.path).action);
    const before = await snapshot();
    const f = new Findings();
    await pool(cases, async (c) => {
      const res = await anon.request(c.method, c.path, undefined, { raw: c.body, contentType: c.body === undefined ? undefined : c.type, headers: c.headers, cookie: null });
      f.check(routeOf(c.method, c.path).endpoint, { method: c.method, path: c.path, headers: c.headers, body: c.body }, res, (r) =>
        r.status === 401 && r.body.code === "not_authenticated" && r.body.detail === "Not authenticated - no session token" ? null : "expected 401 no session token",
      );
    });
    expect(await snapshot(), "an unauthenticated request changed the database").toBe(before);
    console.log(`no session: ${f.cases} refused requests`);
    f.assertClean();
  });
});
