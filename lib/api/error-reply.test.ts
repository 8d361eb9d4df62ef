import { describe, expect, it } from "vitest";
import { AppError, asAppError, STATUS_OF_CODE } from "@/lib/errors";
import { errorHeaders, errorReply, retryAfterOf } from "./error-reply";

describe("errorReply", () => {
  it("answers every code with the status of the one table, as {detail, code}", async () => {
    for (const [code, status] of Object.entries(STATUS_OF_CODE)) {
      const res = errorReply(new AppError(code as keyof typeof STATUS_OF_CODE, `about ${code}`));
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({ detail: `about ${code}`, code });
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("carries a refused limit's X-RateLimit-* headers and Retry-After", () => {
    const now = 1_800_000_000_000;
    const err = new AppError("rate_limited", "Rate limit exceeded.", { limit: { success: false, limit: 10, remaining: 0, reset: now + 44_500 } });
    expect(errorHeaders(err, now)).toEqual({ "X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": String(Math.ceil((now + 44_500) / 1000)), "Retry-After": "45" });
    expect(retryAfterOf(err, now)).toBe(45);
  });

  it("says Retry-After: 5 for a database outage, and nothing for an error with no wait", () => {
    const outage = asAppError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })) as AppError;
    expect(outage.status).toBe(503);
    expect(errorHeaders(outage)).toEqual({ "Retry-After": "5" });
    expect(errorHeaders(new AppError("not_found", "Provider not found"))).toEqual({});
  });
});
