// Contract section 7: 10 key tests per rolling minute per user, shared by test and save, with the
// X-RateLimit-* headers on every answer and Retry-After on the refusal.
import { describe, expect, it } from "vitest";
import { expectError, rowOf, saveKey, testKey } from "../support/api";
import { signedIn } from "../support/client";
import { admin } from "../support/context";
import { fakeRequests, resetFake } from "../support/fake";
import { providerKey } from "../support/keys";

const LIMITED = "Rate limit exceeded. Maximum 10 tests per minute.";

describe("key-test rate limit", () => {
  it("allows 10 tests with X-RateLimit headers, refuses the 11th with 429 and Retry-After, and a save too", async () => {
    const c = await signedIn(admin("ratelimit"));
    await resetFake();
    const remaining: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await testKey(c, { provider_type: "openai", api_key: providerKey("openai") });
      expect(res.status, `test ${i + 1}: ${res.text}`).toBe(200);
      expect(res.body.success).toBe(true);
      expect(res.headers.get("x-ratelimit-limit")).toBe("10");
      const reset = Number(res.headers.get("x-ratelimit-reset"));
      expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
      expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 61);
      expect(res.headers.get("retry-after")).toBeNull();
      remaining.push(Number(res.headers.get("x-ratelimit-remaining")));
    }
    expect(remaining).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);

    const refused = await testKey(c, { provider_type: "openai", api_key: providerKey("openai") });
    expectError(refused, 429, "rate_limited", LIMITED);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get("x-ratelimit-limit")).toBe("10");
    expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");
    // the refused test never reached the provider
    expect((await fakeRequests()).filter((r) => r.provider === "openai")).toHaveLength(10);

    const before = await rowOf(c, "together");
    const save = await saveKey(c, { provider_type: "together", api_key: providerKey("together") });
    expectError(save, 429, "rate_limited", LIMITED);
    expect(Number(save.headers.get("retry-after"))).toBeGreaterThan(0);
    const after = await rowOf(c, "together");
    expect(after?.key_preview).toBe(before?.key_preview);
    expect(after?.updated_at).toBe(before?.updated_at);
  });

  it("the budget is per user: another admin can still test", async () => {
    const other = await signedIn(admin("csrf"));
    const res = await testKey(other, { provider_type: "openai", api_key: providerKey("openai") });
    expect(res.status, res.text).toBe(200);
    expect(Number(res.headers.get("x-ratelimit-remaining"))).toBeGreaterThan(0);
  });
});
