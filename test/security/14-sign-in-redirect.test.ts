// The `next` of the sign-in page: an admin already signed in is sent on with a 307, and that
// redirect never leaves the app, whatever `next` holds (tabs and newlines a browser drops,
// backslashes it reads as slashes, dot segments, schemes), and never fails with a 5xx.
// (Where the sign-in form sends the browser afterwards is checked in e2e/access.spec.ts.)
import fc from "fast-check";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { secAdmin } from "./support/context";
import { pool, sample } from "./support/fuzz";
import { type SecClient, secSignedIn } from "./support/sec-client";

const LABEL = "sign-in-redirect";
let admin: SecClient;
const app = () => new URL(inject("baseUrl")).origin;

/** Why a redirect's Location is unsafe, or null. The browser resolves it against the sign-in page. */
function locationProblem(location: string | null): string | null {
  if (location === null) return "no Location";
  if (!/^\/(?![/\\])/.test(location)) return `not a path of this site: ${JSON.stringify(location)}`;
  if (new URL(location, `${app()}/login`).origin !== app()) return `leaves the app: ${JSON.stringify(location)}`;
  return null;
}

async function signedInVisit(next: string): Promise<{ status: number; location: string | null }> {
  const res = await admin.get(`/login?next=${encodeURIComponent(next)}`);
  return { status: res.status, location: res.headers.get("location") };
}

describe("sign-in redirect", () => {
  beforeAll(async () => {
    admin = await secSignedIn(LABEL, secAdmin("misc"));
  });

  it("sends a signed-in admin on to a path of the app", async () => {
    expect(await signedInVisit("/llm-hub/webhooks?x=1")).toEqual({ status: 307, location: "/llm-hub/webhooks?x=1" });
  });

  it("never to another site: the reported tab and newline forms, and their relatives", async () => {
    const hostile = [
      "/\t/evil.example/phish",
      "/\n/evil.example/phish",
      "/\r/evil.example/phish",
      "\t//evil.example",
      "//evil.example/phish",
      "/\\evil.example",
      "\\/evil.example",
      "/.//evil.example",
      "/x/..//evil.example",
      "https://evil.example/",
      "https:evil.example",
      "javascript:alert(1)",
    ];
    for (const next of hostile) {
      const { status, location } = await signedInVisit(next);
      expect(status, JSON.stringify(next)).toBe(307);
      expect(locationProblem(location), JSON.stringify(next)).toBeNull();
      expect(new URL(location!, app()).hostname).not.toContain("evil");
    }
  });

  it("fuzzed: every `next` gives a 307 that stays on the app", async () => {
    const piece = fc.constantFrom("/", "//", "\\", "\t", "\n", "\r", " ", ".", "..", "%2F", "%5C", "%09", "evil.example", ":", "https:", "@", "?", "#", "\u0000", "\u00a0", "ü", "a");
    const nexts = sample(fc.array(piece, { minLength: 1, maxLength: 8 }).map((p) => p.join("")), 150);
    const problems: string[] = [];
    await pool(nexts, async (next) => {
      const { status, location } = await signedInVisit(next);
      const problem = status === 307 ? locationProblem(location) : `status ${status}`;
      if (problem) problems.push(`${JSON.stringify(next)}: ${problem}`);
    });
    expect(problems).toEqual([]);
  });
});
