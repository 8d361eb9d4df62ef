// The variables this file checks, parsed the way the app parses them at start (a fresh module each time).
import { afterEach, describe, expect, it, vi } from "vitest";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

async function parse(vars: Record<string, string | undefined>) {
  vi.resetModules();
  process.env = { ...saved, ...vars };
  for (const [k, v] of Object.entries(vars)) if (v === undefined) delete process.env[k];
  const { getEnv } = await import("./env");
  return getEnv;
}

describe("TRUST_PROXY", () => {
  it.each([
    [undefined, 0],
    ["", 0],
    ["false", 0],
    ["0", 0],
    ["true", 1],
    ["1", 1],
    ["2", 2],
  ])("%j is %i trusted proxies", async (value, hops) => {
    expect((await parse({ TRUST_PROXY: value }))().TRUST_PROXY).toBe(hops);
  });

  it.each(["yes", "-1", "1.5", "11", "10.0.0.0/8"])("refuses %j, naming the variable", async (value) => {
    const getEnv = await parse({ TRUST_PROXY: value });
    expect(() => getEnv()).toThrow(/TRUST_PROXY: TRUST_PROXY must be false, true \(one proxy\) or the number of proxies/);
  });
});

describe("ADMIN_PASSWORD", () => {
  it("refuses a password shorter than 12 characters, naming the variable and never quoting it", async () => {
    const getEnv = await parse({ ADMIN_EMAIL: "admin@example.com", ADMIN_PASSWORD: "short-pw-11" });
    expect(() => getEnv()).toThrow("ADMIN_PASSWORD: ADMIN_PASSWORD must be at least 12 characters");
    expect(() => getEnv()).not.toThrow(/short-pw-11/);
  });

  it("accepts 12 characters, and leaves an unset one unset", async () => {
    expect((await parse({ ADMIN_PASSWORD: "twelve-chars" }))().ADMIN_PASSWORD).toBe("twelve-chars");
    expect((await parse({ ADMIN_PASSWORD: "" }))().ADMIN_PASSWORD).toBeUndefined();
  });
});
