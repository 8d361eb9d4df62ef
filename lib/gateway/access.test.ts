// The gateway's gate on the embedded database (PGlite, in-process limiter): a key's rate-limit unit
// spent ahead for the row this instance last read for the key (spendEarly, while the configuration
// token is read) is the request's unit when that row is still the key, and is given back when the
// row turned out stale: a changed limit, a disabled key.
import { describe, expect, it } from "vitest";
import type { HubKey } from "@/lib/db/schema";
import { withEmbeddedDb } from "@/test/support/embedded-db";

const call = { actor: { id: null, email: "unit@example.com" }, request: null };

withEmbeddedDb("access");

/** A key with this limit, its request headers, and its row as the instance would have cached it. */
async function issued(rpm: number) {
  const svc = await import("@/lib/hub-keys/service");
  const { getHubKeyByHash } = await import("@/lib/db/queries/hub-keys");
  const { hashHubKey } = await import("@/lib/hub-keys/token");
  const out = await svc.createHubKey(call, { name: `k-${rpm}-${Math.random()}`, rpm_limit: rpm });
  const row = (await getHubKeyByHash(hashHubKey(out.key)))!;
  return { id: out.hub_key.id, headers: new Headers({ authorization: `Bearer ${out.key}` }), row };
}

/** What spendEarly spends, for a given (possibly stale) row. */
async function spentFor(row: HubKey) {
  const { getRpmLimiter } = await import("@/lib/rate-limit/per-key");
  const limiter = getRpmLimiter(row.rpmLimit!);
  return { key: row, limiter, result: limiter.limit(row.id) };
}

/** How many of the limiter's units are left for an id (spends them all to count). */
async function unitsLeft(rpm: number, id: string) {
  const { getRpmLimiter } = await import("@/lib/rate-limit/per-key");
  let n = 0;
  while ((await getRpmLimiter(rpm).limit(id)).success) n++;
  return n;
}

describe("the unit spent ahead", () => {
  it("is the request's unit when the row is still the key's", async () => {
    const { admitHubKey } = await import("./access");
    const k = await issued(5);
    const key = await admitHubKey(k.headers, null, "gateway", await spentFor(k.row));
    expect(key.id).toBe(k.id);
    expect(await unitsLeft(5, k.id)).toBe(4); // one spent, not two
  });

  it("is given back when the key's limit changed since the row was read", async () => {
    const { admitHubKey } = await import("./access");
    const svc = await import("@/lib/hub-keys/service");
    const k = await issued(7);
    await svc.patchHubKey(call, k.id, { rpm_limit: 6 });
    const key = await admitHubKey(k.headers, null, "gateway", await spentFor(k.row)); // spent under the old limit
    expect(key.rpmLimit).toBe(6);
    expect(await unitsLeft(6, k.id)).toBe(5); // the request's one unit: the one spent ahead was given back
  });

  it("is given back when the key was disabled since the row was read", async () => {
    const { admitHubKey } = await import("./access");
    const svc = await import("@/lib/hub-keys/service");
    const k = await issued(8);
    await svc.patchHubKey(call, k.id, { enabled: false });
    await expect(admitHubKey(k.headers, null, "gateway", await spentFor(k.row))).rejects.toMatchObject({ code: "invalid_hub_key" });
    await new Promise((r) => setTimeout(r, 20)); // given back after the refusal, not awaited by it
    expect(await unitsLeft(8, k.id)).toBe(8);
  });
});
