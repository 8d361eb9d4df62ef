// CSRF: a mutation whose Origin is not this site (another host, "null", a look-alike, another port,
// scheme tricks, fuzzed origins) is 403 code csrf on every mutating endpoint, signed in or not, and
// changes nothing nor spends any budget; form-encoded, multipart and text/plain bodies are 415
// without an Origin or with this site's, and 403 csrf with a foreign one.
import fc from "fast-check";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { KEYS, ME, rowOf, TEST } from "../support/api";
import type { ApiResponse } from "../support/client";
import { sendable } from "./support/arbitraries";
import { secAdmin, secUsers } from "./support/context";
import { Findings, pool, sample, snapshot } from "./support/fuzz";
import { goodKey } from "./support/key-pool";
import { routeOf, SecClient, secSignedIn } from "./support/sec-client";

const LABEL = "csrf";
const LOGIN = "/api/v1/auth/login";
const LOGOUT = "/api/v1/auth/logout";
const base = () => new URL(inject("baseUrl"));

/** Origins that are not this site. */
function foreignOrigins(): string[] {
  const { port, host } = base();
  return [
    "https://evil.example", "null", "http://127.0.0.1.evil.example", `http://127.0.0.1:${Number(port) + 1}`, "http://127.0.0.1",
    `http://localhost:${port}`, `http://[::1]:${port}`, `http://${host}.evil.example`, `http://evil.example:${port}`,
    `http://${host}@evil.example`, `https://evil.example/${host}`, "file://", "chrome-extension://abcdef", "data:", "javascript:alert(1)",
    `ws://${host}`, `ftp://${host}`, `http://127.0.0.2:${port}`, `http://0.0.0.0:${port}`, "*", "x",
  ];
}
const isThisSite = (origin: string) => {
  try {
    const u = new URL(origin);
    return ["http:", "https:"].includes(u.protocol) && u.host === base().host;
  } catch {
    return false;
  }
};
const fuzzedOrigin = fc
  .oneof(fc.webUrl().map((u) => new URL(u).origin), fc.domain().map((d) => `https://${d}`), fc.string({ unit: "binary-ascii", maxLength: 40 }).map(sendable))
  .filter((o) => o !== "" && !isThisSite(o));

type Mutation = { method: string; path: (id: string) => string; body: () => unknown };
const mutations = (): Mutation[] => [
  { method: "POST", path: () => KEYS, body: () => ({ provider_type: "openai", api_key: sample(goodKey, 1)[0] }) },
  { method: "POST", path: () => TEST, body: () => ({ provider_type: "openai", api_key: sample(goodKey, 1)[0] }) },
  { method: "PATCH", path: (id) => `${KEYS}/${id}`, body: () => ({ enabled: false, priority: -5 }) },
  { method: "DELETE", path: (id) => `${KEYS}/${id}`, body: () => undefined },
  { method: "POST", path: () => LOGIN, body: () => secAdmin("csrf") },
  { method: "POST", path: () => LOGOUT, body: () => undefined },
];

const isCsrf = (r: ApiResponse) => {
  if (r.status !== 403 || r.body?.code !== "csrf") return "expected 403 csrf";
  if (r.headers.get("x-ratelimit-remaining") !== null) return "spent key-test budget";
  return r.headers.getSetCookie().length ? "set a cookie" : null;
};

describe("cross-site request forgery", () => {
  let admin: SecClient;
  let viewer: SecClient;
  let anon: SecClient;
  let rowId = "";
  beforeAll(async () => {
    admin = await secSignedIn(LABEL, secAdmin("csrf"));
    viewer = await secSignedIn(LABEL, secUsers().viewer);
    anon = new SecClient(LABEL);
    rowId = (await rowOf(admin, "openai"))!.id;
  });

  it("refuses every mutation from a foreign Origin with 403 csrf, signed in as admin, viewer or not at all", async () => {
    const origins = [...foreignOrigins(), ...sample(fuzzedOrigin, 150)];
    const arb = fc.record({ origin: fc.constantFrom(...origins), m: fc.nat(5), who: fc.nat(2) });
    const cases = [
      ...foreignOrigins().flatMap((origin) => mutations().map((_, m) => ({ origin, m, who: 0 }))),
      ...sample(arb, 700),
    ];
    const before = await snapshot();
    const f = new Findings();
    await pool(cases, async ({ origin, m, who }) => {
      const mut = mutations()[m]!;
      const client = [admin, viewer, anon][who]!;
      const path = mut.path(rowId);
      const res = await client.request(mut.method, path, mut.body(), { origin });
      f.check(routeOf(mut.method, path).endpoint, { method: mut.method, path, headers: { origin } }, res, isCsrf);
    });
    expect(await snapshot(), "a cross-site request changed the database").toBe(before);
    expect((await admin.get(ME)).status, "a cross-site sign-out ended the session").toBe(200);
    console.log(`CSRF: ${f.cases} cross-site mutations`);
    f.assertClean();
  });

  it("lets this site's Origin through (any letter case, either scheme: a TLS proxy may change it)", async () => {
    const { host } = base();
    for (const origin of [inject("baseUrl"), `HTTP://${host}`, `https://${host}`, `http://${host}/`]) {
      const res = await admin.patch(`${KEYS}/${rowId}`, { priority: 0 }, { origin });
      expect(res.status, `${origin}: ${res.text}`).toBe(200);
    }
  });

  it("refuses form-encoded, multipart and text/plain bodies: 415 without an Origin or with this site's, 403 csrf with a foreign one", async () => {
    const forms: [string, string][] = [
      ["application/x-www-form-urlencoded", "provider_type=openai&api_key=sk-proj-0123456789abcdef&enabled=false&email=a%40b&password=x"],
      ["multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="provider_type"\r\n\r\nopenai\r\n--x--\r\n'],
      ["text/plain", JSON.stringify({ provider_type: "openai", api_key: sample(goodKey, 1)[0], enabled: false })],
      ["text/plain;charset=UTF-8", JSON.stringify({ email: secAdmin("csrf").email, password: secAdmin("csrf").password })],
    ];
    const withBody = mutations().filter((m) => m.body() !== undefined); // the endpoints that read a body
    const before = await snapshot();
    const f = new Findings();
    for (const mut of withBody) {
      for (const [type, raw] of forms) {
        const path = mut.path(rowId);
        for (const origin of [undefined, inject("baseUrl"), "https://evil.example", "null"]) {
          const client = mut.path("") === LOGIN ? anon : admin;
          const res = await client.request(mut.method, path, undefined, { raw, contentType: type, origin });
          const want = origin === undefined || origin === inject("baseUrl") ? 415 : 403;
          f.check(routeOf(mut.method, path).endpoint, { method: mut.method, path, headers: { "content-type": type, origin: origin ?? "" }, body: raw }, res, (r) =>
            r.status === want && r.body.code === (want === 415 ? "unsupported_media_type" : "csrf") ? null : `expected ${want}`,
          );
        }
      }
    }
    expect(await snapshot(), "a form post changed the database").toBe(before);
    f.assertClean();
  });
});
