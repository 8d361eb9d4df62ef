import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signInTarget } from "./sign-in-target";

const APPS = ["https://hub.example.com", "http://hub.example.com:3000"];

describe("signInTarget", () => {
  it("keeps a path of this app, with its query and fragment", () => {
    expect(signInTarget("/llm-hub/provider-keys")).toBe("/llm-hub/provider-keys");
    expect(signInTarget("/llm-hub/webhooks?x=1#top")).toBe("/llm-hub/webhooks?x=1#top");
    expect(signInTarget("/a b/ü")).toBe("/a%20b/%C3%BC");
    expect(signInTarget(undefined)).toBe("/");
    expect(signInTarget("")).toBe("/");
  });

  it("refuses whatever a browser would take to another site", () => {
    const hostile = [
      "/\t/evil.example/phish",
      "/\n/evil.example/phish",
      "/\r\n/evil.example",
      "//evil.example",
      "///evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      " //evil.example",
      "/.//evil.example",
      "/a/..//evil.example",
      "https://evil.example/",
      "http:evil.example",
      "javascript:alert(1)",
      "data:text/html,hi",
    ];
    for (const next of hostile) expect(signInTarget(next), JSON.stringify(next)).toBe("/");
  });

  it("never answers a Location that leaves the app or cannot be sent as a header (fuzzed)", () => {
    const piece = fc.constantFrom("/", "\\", "\t", "\n", "\r", " ", ".", "..", "%2F", "%5C", "evil.example", ":", "http:", "@", "?", "#", "\u0000", "ü", "a");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }).map((p) => p.join("")), (next) => {
        const out = signInTarget(next);
        expect(out.startsWith("/") && !out.startsWith("//")).toBe(true);
        for (const app of APPS) expect(new URL(out, `${app}/login`).origin).toBe(app); // where a browser would go
        expect(out).toMatch(/^[\x21-\x7e]*$/); // printable ASCII only: nothing a header would refuse
      }),
      { numRuns: 3000 },
    );
  });
});
