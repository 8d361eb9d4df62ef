import { describe, expect, it } from "vitest";
import { GatewayError } from "@/lib/gateway/errors";
import { AppError, notFound } from "./errors";

const frames = (err: Error) => (err.stack ?? "").split("\n").filter((l) => l.trim().startsWith("at ")).length;

describe("refusals carry no stack trace; faults keep theirs", () => {
  it("an API refusal (4xx) has no frames, a 5xx has them, and the limit is put back", () => {
    const before = Error.stackTraceLimit;
    expect(frames(notFound())).toBe(0);
    expect(frames(new AppError("not_authenticated", "x"))).toBe(0);
    expect(notFound().stack).toBe("AppError: Provider not found");
    expect(frames(new AppError("internal_error", "x"))).toBeGreaterThan(0);
    expect(frames(new AppError("unavailable", "x"))).toBeGreaterThan(0);
    expect(Error.stackTraceLimit).toBe(before);
    expect(frames(new Error("a plain error after a refusal"))).toBeGreaterThan(0);
  });

  it("the same for the gateway's errors", () => {
    const before = Error.stackTraceLimit;
    expect(frames(new GatewayError("invalid_hub_key", "x"))).toBe(0);
    expect(frames(new GatewayError("rate_limited", "x", 5))).toBe(0);
    expect(frames(new GatewayError("upstream_timeout", "x"))).toBeGreaterThan(0);
    expect(Error.stackTraceLimit).toBe(before);
  });
});
