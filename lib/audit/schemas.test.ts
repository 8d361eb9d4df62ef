import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parseAuditExportQuery, parseAuditQuery } from "./schemas";

const q = (s: string) => parseAuditQuery(new URLSearchParams(s));
const detailOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return `${(e as AppError).code}: ${(e as AppError).detail}`;
  }
  throw new Error("did not throw");
};

describe("the audit log's query", () => {
  it("defaults to the newest 50 with no filter", () => {
    expect(q("")).toEqual({ filter: { actor: undefined, action: undefined, target: undefined, providerType: undefined, outcome: undefined, from: undefined, to: undefined }, params: {}, before: undefined, limit: 50 });
  });

  it("reads exact and prefix filters (a trailing * or, for an action, a trailing dot)", () => {
    const { filter, params } = q("actor=Admin@Example.com&action=provider_key.&target=abc*&provider=openai&outcome=denied&from=2026-11-01&to=2026-11-02T12:00:00Z&before=42&limit=500");
    expect(filter).toEqual({
      actor: { value: "admin@example.com", prefix: false },
      action: { value: "provider_key.", prefix: true },
      target: { value: "abc", prefix: true },
      providerType: "openai",
      outcome: "denied",
      from: new Date("2026-11-01T00:00:00Z"),
      to: new Date("2026-11-02T12:00:00Z"),
    });
    expect(params).toEqual({ actor: "Admin@Example.com", action: "provider_key.", target: "abc*", provider: "openai", outcome: "denied", from: "2026-11-01T00:00:00.000Z", to: "2026-11-02T12:00:00.000Z" });
    expect(q("action=auth.login").filter.action).toEqual({ value: "auth.login", prefix: false });
    expect(q("actor=adm*").filter.actor).toEqual({ value: "adm", prefix: true });
    expect(q("before=42&limit=7")).toMatchObject({ before: 42, limit: 7 });
  });

  it("refuses a bad parameter with a 400 that names it", () => {
    expect(detailOf(() => q("limit=0"))).toBe("invalid_request: limit: must be at least 1");
    expect(detailOf(() => q("limit=501"))).toBe("invalid_request: limit: must be at most 500");
    expect(detailOf(() => q("limit=ten"))).toBe("invalid_request: limit: must be a number");
    expect(detailOf(() => q("before=abc"))).toMatch(/^invalid_request: before: must be a record id/);
    expect(detailOf(() => q("before=-1"))).toMatch(/^invalid_request: before: /);
    expect(detailOf(() => q("outcome=ok"))).toBe("invalid_request: outcome: must be one of success, failure, denied");
    expect(detailOf(() => q("provider=acme"))).toMatch(/^invalid_request: provider: must be one of openrouter, /);
    expect(detailOf(() => q("from=yesterday"))).toMatch(/^invalid_request: from: must be an ISO 8601 date/);
    expect(detailOf(() => q("to=2026-02-30"))).toBe("invalid_request: to: is not a real date");
    expect(detailOf(() => q("from=2026-11-02&to=2026-11-01"))).toBe("invalid_request: from: must be before to");
    expect(detailOf(() => q("actor=*"))).toBe("invalid_request: actor: a prefix needs at least one character before '*'");
    expect(detailOf(() => q("target="))).toBe("invalid_request: target: must not be empty");
    expect(detailOf(() => q(`action=${"a".repeat(321)}`))).toBe("invalid_request: action: must be at most 320 characters");
    expect(detailOf(() => q("action=a%00b"))).toBe("invalid_request: action: must not contain control characters");
    expect(detailOf(() => q("sort=id"))).toMatch(/^invalid_request: unknown parameter 'sort' \(accepted: actor, action, /);
    expect(detailOf(() => q("outcome=denied&outcome=success"))).toBe("invalid_request: outcome: given more than once");
  });

  it("the export takes the filters but not the paging", () => {
    expect(parseAuditExportQuery(new URLSearchParams("outcome=denied")).filter.outcome).toBe("denied");
    expect(detailOf(() => parseAuditExportQuery(new URLSearchParams("limit=5")))).toMatch(/^invalid_request: unknown parameter 'limit'/);
  });
});
