// This month's usage per hub key in the admin API (what the Hub Keys tab lists): requests made
// through the gateway with the official OpenAI SDK show up in GET /hub-keys and GET /hub-keys/{id}
// as `this_month`, for that key only, with the spend the budget check counts.
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { type Client, signedIn } from "../support/client";
import { admin } from "../support/context";
import { compatBase, ensureProviderKey, HUB_KEYS, issueHubKey, type IssuedKey } from "../support/gateway";

interface Month {
  month: string;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

let c: Client;
let used: IssuedKey;
let idle: IssuedKey;

const listed = async (id: string): Promise<{ this_month: Month; last_used_at: string | null }> => {
  const res = await c.get(HUB_KEYS);
  expect(res.status, res.text).toBe(200);
  return res.body.hub_keys.find((k: { id: string }) => k.id === id);
};

/**
 * The list once the key shows `n` requests and its last use (usage is written in batches, and
 * `last_used_at` a second after a use, both off the request's path and each on its own timer).
 */
async function monthOnceRecorded(id: string, n: number) {
  const until = Date.now() + 20_000;
  for (;;) {
    const row = await listed(id);
    if ((row.this_month.requests >= n && row.last_used_at !== null) || Date.now() > until) return row;
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  c = await signedIn(admin("hub-keys-month"));
  await ensureProviderKey(c, "openai");
  used = await issueHubKey(c, { name: "month-used", allowed: ["openai/*"], monthly_budget_usd: 5 });
  idle = await issueHubKey(c, { name: "month-idle" });
});

describe("this month's usage per hub key", () => {
  it("starts at zero for the current UTC month", async () => {
    const row = await listed(used.id);
    const now = new Date();
    expect(row.this_month).toEqual({ month: `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}`, requests: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 });
  });

  it("counts the requests a key made through the gateway, and only that key's", async () => {
    const openai = new OpenAI({ apiKey: used.key, baseURL: compatBase(), maxRetries: 0 });
    for (let i = 0; i < 3; i++) {
      const r = await openai.chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "Say hello there" }] });
      expect(r.choices[0]?.message.content).toBeTruthy();
    }
    const row = await monthOnceRecorded(used.id, 3);
    expect(row.this_month.requests).toBe(3);
    // the fake counts a token per prompt word (3) and replies with 5
    expect(row.this_month.input_tokens).toBe(9);
    expect(row.this_month.output_tokens).toBe(15);
    expect(row.this_month.cost_usd).toBeGreaterThan(0); // gpt-4o-mini is in the price table
    expect(row.last_used_at).not.toBeNull();

    const one = await c.get(`${HUB_KEYS}/${used.id}`);
    expect(one.body.hub_key.this_month).toEqual(row.this_month);
    expect((await listed(idle.id)).this_month.requests).toBe(0);
  });
});
