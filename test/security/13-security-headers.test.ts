// Security headers on pages and on the API: framing refused (frame-ancestors and X-Frame-Options),
// no sniffing, a same-origin Referrer-Policy, a Content-Security-Policy (static and strict on the
// API; on pages a fresh nonce per request that every script Next renders carries), and HSTS only
// when the request came over HTTPS through a proxy (X-Forwarded-Proto). That the app's own pages
// run under the policy without a violation is checked in the browser (e2e/fixtures.ts).
import { beforeAll, describe, expect, it } from "vitest";
import { secAdmin } from "./support/context";
import { SecClient, secSignedIn } from "./support/sec-client";

const LABEL = "headers";
let admin: SecClient;
let anon: SecClient;

function expectCommon(h: Headers, what: string) {
  expect(h.get("x-frame-options"), what).toBe("DENY");
  expect(h.get("x-content-type-options"), what).toBe("nosniff");
  expect(h.get("referrer-policy"), what).toBe("same-origin");
  expect(h.get("content-security-policy"), what).toMatch(/(^|; )frame-ancestors 'none'(;|$)/);
}

/** The policy's directives by name. */
const directives = (csp: string): Record<string, string[]> => Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

/** The nonce of a page's policy, after checking that every script of the page carries it. */
function pageNonce(res: { headers: Headers; text: string }, what: string): string {
  const csp = directives(res.headers.get("content-security-policy") ?? "");
  const nonce = /^'nonce-([A-Za-z0-9+/=]{16,})'$/.exec(csp["script-src"]?.find((v) => v.startsWith("'nonce-")) ?? "")?.[1];
  expect(nonce, `${what}: script-src ${csp["script-src"]}`).toBeTruthy();
  expect(csp["script-src"], what).toContain("'strict-dynamic'");
  expect(csp["script-src"], what).not.toContain("'unsafe-inline'");
  expect(csp["object-src"], what).toEqual(["'none'"]);
  const scripts = res.text.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length, what).toBeGreaterThan(0);
  for (const s of scripts) expect(s, what).toContain(`nonce="${nonce}"`);
  return nonce!;
}

describe("security headers", () => {
  beforeAll(async () => {
    admin = await secSignedIn(LABEL, secAdmin("misc"));
    anon = new SecClient(LABEL);
  });

  it("are on every API answer, with a policy that lets nothing run, and no HSTS over plain HTTP", async () => {
    const answers = {
      "GET /api/health": await anon.get("/api/health"),
      "GET /auth/me 401": await anon.get("/api/v1/auth/me"),
      "POST /auth/login 400": await anon.post("/api/v1/auth/login", { email: 1 }),
      "GET /keys 200": await admin.get("/api/v1/llm/providers/keys"),
      "GET unknown API path 404": await anon.get("/api/v1/nope"),
    };
    for (const [what, res] of Object.entries(answers)) {
      expectCommon(res.headers, what);
      expect(directives(res.headers.get("content-security-policy")!)["default-src"], what).toEqual(["'none'"]);
      expect(res.headers.get("strict-transport-security"), what).toBeNull();
    }
  });

  it("give each page its own nonce, on every script of the page (sign-in, the hub, not-found)", async () => {
    const pages = {
      "/login": await anon.get("/login"),
      "/llm-hub/provider-keys": await admin.get("/llm-hub/provider-keys"),
      "not found": await anon.get("/no-such-page"),
    };
    expect(pages["/login"].status).toBe(200);
    expect(pages["/llm-hub/provider-keys"].status).toBe(200);
    expect(pages["not found"].status).toBe(404);
    const nonces = new Set<string>();
    for (const [what, res] of Object.entries(pages)) {
      expectCommon(res.headers, what);
      nonces.add(pageNonce(res, what));
      expect(res.headers.get("strict-transport-security"), what).toBeNull();
    }
    nonces.add(pageNonce(await anon.get("/login"), "/login again"));
    expect(nonces.size).toBe(4);
  });

  it("add HSTS (and upgrade-insecure-requests on pages) when a proxy says the request came over HTTPS", async () => {
    const https = { headers: { "x-forwarded-proto": "https" } };
    for (const [what, res] of Object.entries({ api: await anon.get("/api/health", https), page: await anon.get("/login", https) })) {
      expect(res.headers.get("strict-transport-security"), what).toMatch(/^max-age=\d{7,}/);
    }
    expect(directives((await anon.get("/login", https)).headers.get("content-security-policy")!)).toHaveProperty("upgrade-insecure-requests");
    expect(directives((await anon.get("/login")).headers.get("content-security-policy")!)).not.toHaveProperty("upgrade-insecure-requests");
  });

  it("keep the strict policy on a page answer the proxy does not see (a request with a body)", async () => {
    const res = await anon.request("POST", "/login", undefined, { raw: "x=1", contentType: "application/x-www-form-urlencoded" });
    expectCommon(res.headers, "POST /login");
    expect(directives(res.headers.get("content-security-policy")!)["default-src"]).toEqual(["'none'"]);
  });
});
