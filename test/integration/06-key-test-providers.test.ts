// POST /keys/test with a supplied key (contract section 3), once per provider against the fake:
// success, latency and model count, and how each provider's key travels (never in a URL).
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { ProviderType } from "../../lib/providers/catalogue";
import type { RecordedRequest } from "../fake-provider/server";
import { FAKE_MODEL_COUNTS } from "../fake-provider/success-bodies";
import { ISO_UTC, testKey } from "../support/api";
import { type Client, signedIn } from "../support/client";
import { admin } from "../support/context";
import { fakeRequests, resetFake, setFakeLatency } from "../support/fake";
import { providerKey } from "../support/keys";

const TYPES: ProviderType[] = ["openrouter", "openai", "anthropic", "google", "cohere", "groq", "together", "mistral", "custom"];

describe("testing a supplied key against each provider", () => {
  let c: Client;
  let seen: RecordedRequest[] = [];

  beforeAll(async () => {
    c = await signedIn(admin("test-providers"));
    await resetFake();
  });

  for (const type of TYPES) {
    it(`${type}: HTTP 200, success, measured latency and models_found ${FAKE_MODEL_COUNTS[type]}`, async () => {
      const body: Record<string, unknown> = { provider_type: type, api_key: providerKey(type) };
      if (type === "custom") body.config = { base_url: inject("fakeBaseUrls").custom };
      const started = Date.now();
      const res = await testKey(c, body);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ success: true, error: null, error_code: null, status_code: 200 });
      expect(res.body.models_found).toBe(FAKE_MODEL_COUNTS[type]);
      expect(typeof res.body.latency_ms).toBe("number");
      expect(res.body.latency_ms!).toBeGreaterThanOrEqual(0);
      expect(res.body.latency_ms!).toBeLessThanOrEqual(Date.now() - started + 5);
      expect(res.body.tested_at).toMatch(ISO_UTC);
      expect(Math.abs(Date.parse(res.body.tested_at) - Date.now())).toBeLessThan(30_000);
      expect(res.headers.get("x-ratelimit-limit")).toBe("10");
    });
  }

  it("latency_ms is measured: a provider that answers 250 ms late reports at least 250", async () => {
    await setFakeLatency(250);
    try {
      const res = await testKey(c, { provider_type: "openai", api_key: providerKey("openai") });
      expect(res.body.success, res.text).toBe(true);
      expect(res.body.latency_ms!).toBeGreaterThanOrEqual(245);
      expect(res.body.latency_ms!).toBeLessThan(res.ms + 5);
    } finally {
      await setFakeLatency(0);
    }
  });

  describe("what the fake provider received", () => {
    beforeAll(async () => {
      seen = await fakeRequests();
    });

    it("one validation request reached each provider", () => {
      for (const type of TYPES) expect(seen.filter((r) => r.provider === type).length, type).toBeGreaterThanOrEqual(1);
    });

    it("no key ever appeared in a URL", () => {
      expect(seen.length).toBeGreaterThanOrEqual(TYPES.length);
      for (const r of seen) {
        expect(r.keyInUrl, `${r.method} ${r.path}${r.query}`).toBe(false);
        expect(r.query).not.toMatch(/[?&]key=/);
      }
    });

    it("Google's key went in x-goog-api-key, not in ?key= nor Authorization", () => {
      const google = seen.filter((r) => r.provider === "google");
      expect(google.length).toBeGreaterThanOrEqual(1);
      for (const r of google) {
        expect(r.path).toBe("/google/v1beta/models");
        expect(r.headers["x-goog-api-key"]).toMatch(/^<redacted:\d+>$/);
        expect(r.headers.authorization).toBeUndefined();
        expect(r.expectedAuthPresent).toBe(true);
      }
    });

    it("Anthropic got x-api-key and anthropic-version, and no billable /messages call", () => {
      const anthropic = seen.filter((r) => r.provider === "anthropic");
      for (const r of anthropic) {
        expect(r.path).toBe("/anthropic/v1/models");
        expect(r.headers["x-api-key"]).toMatch(/^<redacted:\d+>$/);
        expect(r.headers["anthropic-version"]).toBe("2023-06-01");
      }
      expect(seen.some((r) => r.path.includes("/messages") || r.path.includes("/chat/completions"))).toBe(false);
    });

    it("OpenRouter was validated with GET /key, Cohere with POST /v1/check-api-key", () => {
      const or = seen.filter((r) => r.provider === "openrouter" && r.expectedAuthPresent);
      expect(or.map((r) => `${r.method} ${r.path}`)).toContain("GET /openrouter/api/v1/key");
      const cohere = seen.filter((r) => r.provider === "cohere");
      expect(cohere.map((r) => `${r.method} ${r.path}`)).toContain("POST /cohere/v1/check-api-key");
    });

    it("bearer providers sent the key in Authorization", () => {
      for (const type of ["openai", "groq", "together", "mistral", "custom"] as const) {
        const r = seen.find((x) => x.provider === type)!;
        expect(r.headers.authorization, type).toMatch(/^<redacted:\d+>$/);
        expect(r.expectedAuthPresent, type).toBe(true);
      }
    });
  });
});
