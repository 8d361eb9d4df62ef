import { describe, expect, it } from "vitest";
import { healthOf } from "./health-status";

describe("healthOf", () => {
  it("calls a passing key healthy", () => {
    expect(healthOf({ success: true, error_code: null })).toBe("healthy");
  });
  it.each(["rate_limited", "provider_error", "timeout", "unreachable"] as const)("calls %s degraded: the key itself is probably fine", (code) => {
    expect(healthOf({ success: false, error_code: code })).toBe("degraded");
  });
  it.each(["invalid_key", "forbidden", "no_credits", "bad_base_url"] as const)("calls %s unhealthy", (code) => {
    expect(healthOf({ success: false, error_code: code })).toBe("unhealthy");
  });
  it("leaves an unconfigured key unknown", () => {
    expect(healthOf({ success: false, error_code: "not_configured" })).toBe("unknown");
  });
});
