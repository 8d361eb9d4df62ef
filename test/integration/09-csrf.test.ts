// Contract conventions: a mutation that carries an Origin must be same-origin, else 403 csrf;
// requests without Origin (curl, scripts) are allowed; reads are not affected.
import { describe, expect, inject, it } from "vitest";
import { expectError, KEYS, ME, rowOf, saveKey, TEST, testKey } from "../support/api";
import { signedIn } from "../support/client";
import { admin } from "../support/context";
import { providerKey } from "../support/keys";

const EVIL = "https://evil.example";

describe("cross-site request protection", () => {
  it("refuses every mutation from a foreign Origin with 403 csrf, and changes nothing", async () => {
    const c = await signedIn(admin("csrf"));
    const row = (await rowOf(c, "google"))!;
    const attempts = [
      await saveKey(c, { provider_type: "google", api_key: providerKey("google") }, { origin: EVIL }),
      await testKey(c, { provider_type: "google", api_key: providerKey("google") }, { origin: EVIL }),
      await c.patch(`${KEYS}/${row.id}`, { priority: 13 }, { origin: EVIL }),
      await c.delete(`${KEYS}/${row.id}`, undefined, { origin: EVIL }),
      await c.post("/api/v1/auth/logout", undefined, { origin: EVIL }),
      await c.post(TEST, { provider_type: "google", api_key: null }, { origin: "null" }),
    ];
    for (const res of attempts) {
      expectError(res, 403, "csrf");
      expect(res.headers.get("x-ratelimit-remaining")).toBeNull();
    }
    expect(await rowOf(c, "google")).toEqual(row);
    expect((await c.get(ME)).status).toBe(200); // the foreign logout did not end the session
  });

  it("refuses a sign-in posted from a foreign Origin", async () => {
    const c = await signedIn(admin("csrf"));
    c.clearCookies();
    const res = await c.post("/api/v1/auth/login", { email: admin("csrf").email, password: admin("csrf").password }, { origin: EVIL });
    expectError(res, 403, "csrf");
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("allows a same-origin Origin", async () => {
    const c = await signedIn(admin("csrf"));
    const row = (await rowOf(c, "cohere"))!;
    const patched = await c.patch(`${KEYS}/${row.id}`, { priority: row.priority }, { origin: inject("baseUrl") });
    expect(patched.status, patched.text).toBe(200);
    const tested = await testKey(c, { provider_type: "openai", api_key: providerKey("openai") }, { origin: inject("baseUrl") });
    expect(tested.status, tested.text).toBe(200);
  });

  it("allows a mutation without Origin (curl, scripts)", async () => {
    const c = await signedIn(admin("csrf"));
    const res = await testKey(c, { provider_type: "openai", api_key: providerKey("openai") });
    expect(res.status, res.text).toBe(200);
    expect(res.body.success).toBe(true);
  });

  it("does not apply to reads", async () => {
    const c = await signedIn(admin("csrf"));
    expect((await c.get(KEYS, { origin: EVIL })).status).toBe(200);
  });
});
