import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { apiMatcher, apiRoutesFromManifest } from "./api-routes.mjs";

/** The manifest `next build` writes, made here from the app/api folder tree itself. */
function manifestFromTree(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name === "route.ts") {
        const rel = path.relative(path.resolve("app"), dir).split(path.sep).join("/");
        out[`/${rel}/route`] = `app/${rel}/route.js`;
      }
    }
  };
  walk(path.resolve("app/api"));
  return out;
}

const match = apiMatcher(apiRoutesFromManifest({ ...manifestFromTree(), "/(hub)/llm-hub/page": "app/(hub)/llm-hub/page.js" }));
const hit = (p: string) => {
  const m = match(p);
  return m && { page: m.route.page, params: m.params };
};

describe("the API route matcher (from the app/api tree)", () => {
  it("matches static routes before dynamic ones, and dynamic ones before the catch-all", () => {
    expect(hit("/api/health")).toEqual({ page: "/api/health/route", params: {} });
    expect(hit("/api/health/ready")).toEqual({ page: "/api/health/ready/route", params: {} });
    expect(hit("/api/v1/llm/providers/keys")).toEqual({ page: "/api/v1/llm/providers/keys/route", params: {} });
    expect(hit("/api/v1/llm/providers/keys/test")).toEqual({ page: "/api/v1/llm/providers/keys/test/route", params: {} });
    expect(hit("/api/v1/llm/providers/keys/k-42")).toEqual({ page: "/api/v1/llm/providers/keys/[id]/route", params: { id: "k-42" } });
    expect(hit("/api/v1/llm/providers/keys/k-42/health")).toEqual({ page: "/api/v1/llm/providers/keys/[id]/health/route", params: { id: "k-42" } });
    expect(hit("/api/v1/llm/usage/export.csv")).toEqual({ page: "/api/v1/llm/usage/export.csv/route", params: {} });
  });

  it("gives catch-all parameters as arrays, and falls back to the API's own catch-all", () => {
    expect(hit("/api/v1/llm/gateway/native/openai/v1/chat/completions")).toEqual({
      page: "/api/v1/llm/gateway/native/[route]/[...path]/route",
      params: { route: "openai", path: ["v1", "chat", "completions"] },
    });
    expect(hit("/api/v1/llm/usage/prices/openai/gpt-4o")).toEqual({ page: "/api/v1/llm/usage/prices/[route]/[...model]/route", params: { route: "openai", model: ["gpt-4o"] } });
    // a static route's unknown child is not the static route: the catch-all answers it
    expect(hit("/api/health/nope")).toEqual({ page: "/api/[...path]/route", params: { path: ["health", "nope"] } });
    expect(hit("/api/v1/llm/providers/keys/a/b/c")).toEqual({ page: "/api/[...path]/route", params: { path: ["v1", "llm", "providers", "keys", "a", "b", "c"] } });
  });

  it("leaves Next what it normalises, and what is not under /api", () => {
    expect(hit("/api")).toBeNull(); // a catch-all needs one segment
    expect(hit("/api/health/")).toBeNull(); // trailing slash: Next redirects
    expect(hit("/api//health")).toBeNull();
    expect(apiRoutesFromManifest({ "/(hub)/llm-hub/page": "x", "/api/(grp)/x/route": "y", "/api/x/route": "z" }).map((r) => r.page)).toEqual(["/api/x/route"]);
  });
});
