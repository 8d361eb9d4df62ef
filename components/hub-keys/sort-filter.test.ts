import { describe, expect, it } from "vitest";
import { formatUsd } from "./format";
import type { HubKeyRow } from "./queries";
import { filterKeys, sortKeys } from "./sort-filter";

const row = (name: string, over: Partial<HubKeyRow> & { requests?: number; cost?: number } = {}): HubKeyRow =>
  ({
    id: name,
    name,
    owner: null,
    key_preview: `llmhub_${name.slice(0, 3)}…wxyz`,
    allowed: [],
    status: "active",
    last_used_at: null,
    monthly_budget_usd: null,
    ...over,
    this_month: { month: "2026-12", requests: over.requests ?? 0, input_tokens: 0, output_tokens: 0, cost_usd: over.cost ?? 0 },
  }) as HubKeyRow;

const names = (rows: HubKeyRow[]) => rows.map((r) => r.name);

describe("filter and sort", () => {
  const rows = [
    row("zeta", { owner: "Team Billing", requests: 5, cost: 0.5, last_used_at: "2026-12-01T10:00:00.000Z" }),
    row("alpha", { allowed: ["groq/llama-*"], status: "disabled", requests: 9, cost: 0.1 }),
    row("mid", { status: "expired", last_used_at: "2026-12-01T11:00:00.000Z" }),
  ];

  it("filters by name, owner, preview or allowed pattern, and by status", () => {
    expect(names(filterKeys(rows, "billing", "all"))).toEqual(["zeta"]);
    expect(names(filterKeys(rows, "LLAMA", "all"))).toEqual(["alpha"]);
    expect(names(filterKeys(rows, "", "expired"))).toEqual(["mid"]);
    expect(names(filterKeys(rows, "zeta", "disabled"))).toEqual([]);
  });

  it("sorts by name, requests, spend and last use", () => {
    expect(names(sortKeys(rows, "created"))).toEqual(["zeta", "alpha", "mid"]);
    expect(names(sortKeys(rows, "name"))).toEqual(["alpha", "mid", "zeta"]);
    expect(names(sortKeys(rows, "requests"))).toEqual(["alpha", "zeta", "mid"]);
    expect(names(sortKeys(rows, "spend"))).toEqual(["zeta", "alpha", "mid"]);
    expect(names(sortKeys(rows, "used"))).toEqual(["mid", "zeta", "alpha"]);
  });

  it("shows spend in cents, and small spends without rounding them to nothing", () => {
    expect([formatUsd(0), formatUsd(12.5), formatUsd(0.0012), formatUsd(1234.567)]).toEqual(["$0.00", "$12.50", "$0.0012", "$1,234.57"]);
  });
});
