import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { gatewayError, gatewayErrorStatus, type GatewayErrorCode } from "./errors";

const STATUS: Record<GatewayErrorCode, number> = {
  invalid_request: 400,
  invalid_hub_key: 401,
  model_not_allowed: 403,
  missing_scope: 403,
  provider_disabled: 403,
  unknown_model: 404,
  provider_not_configured: 409,
  body_too_large: 413,
  rate_limited: 429,
  budget_exceeded: 429,
  upstream_unreachable: 502,
  unavailable: 503,
  upstream_timeout: 504,
};

describe("the hub's errors", () => {
  it("the contract's status for every code, in the OpenAI error shape", async () => {
    for (const [code, status] of Object.entries(STATUS) as [GatewayErrorCode, number][]) {
      expect(gatewayErrorStatus(code)).toBe(status);
      const res = gatewayError(code, "Something precise", { requestId: "req-1" });
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(res.headers.get("x-llmhub-request-id")).toBe("req-1");
      expect(await res.json()).toEqual({ error: { message: "Something precise", type: expect.any(String), code } });
    }
  });

  it("429s always say when to retry; others only when told", () => {
    expect(gatewayError("rate_limited", "slow down", { retryAfterSeconds: 12.2 }).headers.get("retry-after")).toBe("13");
    expect(gatewayError("budget_exceeded", "over budget").headers.get("retry-after")).toBe("60");
    expect(gatewayError("unavailable", "database down", { retryAfterSeconds: 5 }).headers.get("retry-after")).toBe("5");
    expect(gatewayError("invalid_hub_key", "no").headers.get("retry-after")).toBeNull();
  });

  it("the OpenAI SDK turns them into its own error classes, code and message included", async () => {
    const cases: [GatewayErrorCode, unknown][] = [
      ["invalid_hub_key", OpenAI.AuthenticationError],
      ["model_not_allowed", OpenAI.PermissionDeniedError],
      ["unknown_model", OpenAI.NotFoundError],
      ["provider_not_configured", OpenAI.ConflictError],
      ["budget_exceeded", OpenAI.RateLimitError],
      ["upstream_timeout", OpenAI.InternalServerError],
    ];
    for (const [code, cls] of cases) {
      const client = new OpenAI({ apiKey: "llmhub_x", baseURL: "http://hub.invalid/v1", maxRetries: 0, fetch: async () => gatewayError(code, `because ${code}`) });
      const err = await client.models.list().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(cls as new () => Error);
      expect(err).toMatchObject({ code, message: expect.stringContaining(`because ${code}`) });
    }
  });
});
