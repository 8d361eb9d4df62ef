// A hub key's rate-limit unit spent one request ahead (held-unit.ts), on the in-process limiter
// (the same Limiter interface as the Redis one): every admitted request is backed by a unit the
// limiter admitted, a refusal comes from the limiter itself, and a held unit that is not used, or
// was spent under another limit, is given back.
import { afterEach, describe, expect, it, vi } from "vitest";
import { batchOf, HeldUnits } from "./held-unit";
import { MemoryLimiter } from "./memory";
import type { Limiter } from "./types";

const settle = () => new Promise((r) => setTimeout(r, 5));

function setup(holdMs = 1000) {
  const shared = new Map();
  const limiters = new Map<number, Limiter>();
  const calls: number[] = [];
  const limiterFor = (rpm: number) => {
    let l = limiters.get(rpm);
    if (!l) {
      const inner = new MemoryLimiter(rpm, 60_000, shared);
      l = { limit: (id, units) => (calls.push(rpm), inner.limit(id, units)), refund: (id, s) => inner.refund(id, s) };
      limiters.set(rpm, l);
    }
    return l;
  };
  /** Units of `rpm` the limiter still has for the id (spends them all at once to count, then gives them back). */
  const left = async (rpm: number, id: string) => {
    const r = await limiterFor(rpm).limit(id, rpm + 1);
    const spent = r.spends ?? [];
    for (const s of spent) await limiterFor(rpm).refund(id, s);
    return spent.length;
  };
  return { held: new HeldUnits(limiterFor, holdMs), left, calls, limiterFor };
}

afterEach(() => vi.useRealTimers());

describe("a rate-limit unit held one request ahead", () => {
  it("admits exactly the limit, and refuses with the limiter's own answer", async () => {
    const { held } = setup();
    const results = [];
    for (let i = 0; i < 5; i++) {
      results.push((await held.spend("k", 3)).success);
      await settle(); // the unit spent ahead is in hand before the next request
    }
    expect(results).toEqual([true, true, true, false, false]);
    const refused = await held.spend("k", 3);
    expect(refused.success).toBe(false);
    expect(refused.reset).toBeGreaterThan(Date.now());
  });

  it("the next request takes the held unit without waiting for the limiter", async () => {
    let hang = false;
    const inner = new MemoryLimiter(100, 60_000);
    const limiter: Limiter = { limit: (id) => (hang ? new Promise(() => {}) : inner.limit(id)), refund: (id, s) => inner.refund(id, s) };
    const held = new HeldUnits(() => limiter);
    await held.spend("k", 100);
    await settle();
    hang = true; // the limiter stops answering: only a held unit can admit the request
    const r = await Promise.race([held.spend("k", 100), new Promise((res) => setTimeout(() => res("waited"), 200))]);
    expect(r).toMatchObject({ success: true });
    expect(held.size()).toBe(0); // taken; the next one is still being asked for
  });

  it("counts every request once: after N requests the limiter has N units spent and one held", async () => {
    const { held, left } = setup();
    for (let i = 0; i < 4; i++) {
      await held.spend("k", 10);
      await settle();
    }
    expect(await left(10, "k")).toBe(10 - 4 - 1);
    await held.release();
    expect(await left(10, "k")).toBe(10 - 4);
  });

  it("a held unit spent under another limit is given back before the request's own unit", async () => {
    const { held, left } = setup();
    await held.spend("k", 3); // 1 spent, 1 held
    await settle();
    // the key's limit lowered to 2: the held unit (spent under 3) is given back, this one is 2 of 2
    expect((await held.spend("k", 2)).success).toBe(true);
    await settle();
    expect((await held.spend("k", 2)).success).toBe(false);
    expect(await left(2, "k")).toBe(0);
  });

  it("a held unit not used within holdMs is given back", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "performance"] });
    const { held, left } = setup(1000);
    await held.spend("k", 5);
    await vi.waitFor(() => expect(held.size()).toBe(1));
    expect(await left(5, "k")).toBe(3);
    await vi.advanceTimersByTimeAsync(2100);
    expect(held.size()).toBe(0);
    expect(await left(5, "k")).toBe(4);
  });

  it("a unit held too long is not used: the request asks the limiter", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    const { held, calls } = setup(1000);
    await held.spend("k", 5);
    await vi.waitFor(() => expect(held.size()).toBe(1));
    vi.advanceTimersByTime(1500);
    const before = calls.length;
    expect((await held.spend("k", 5)).success).toBe(true);
    // its own unit, then the next one ahead
    expect(calls.length).toBe(before + 2);
  });

  it("a limiter that fails (Redis down) holds nothing and the request fails", async () => {
    let down = false;
    const inner = new MemoryLimiter(5, 60_000);
    const limiter: Limiter = { limit: (id) => (down ? Promise.reject(new Error("down")) : inner.limit(id)), refund: (id, s) => inner.refund(id, s) };
    const held = new HeldUnits(() => limiter);
    down = true;
    await expect(held.spend("k", 5)).rejects.toThrow("down");
    expect(held.size()).toBe(0);
  });

  it("a busy key's units come in batches: one limiter call per half batch, still exact at the limit", async () => {
    const { held, left, calls } = setup();
    const rpm = 20_000;
    expect(batchOf(rpm)).toBe(20);
    expect([batchOf(60), batchOf(1999), batchOf(2000), batchOf(1_000_000)]).toEqual([1, 1, 2, 64]);
    for (let i = 0; i < 40; i++) {
      expect((await held.spend("busy", rpm)).success).toBe(true);
      await settle();
    }
    expect(calls.length).toBeLessThan(10); // one per request without batches
    expect(await left(rpm, "busy")).toBe(rpm - 40 - held.size());
    // near the limit: the units left are all there is, across requests and held units
    const other = setup();
    await other.limiterFor(rpm).limit("k2", rpm - 40); // the key's other instances spent all but 40
    const more = [];
    for (let i = 0; i < 60; i++) {
      more.push((await other.held.spend("k2", rpm)).success);
      await settle();
    }
    expect(more.filter(Boolean).length).toBe(40);
    expect(more.slice(40).every((x) => !x)).toBe(true);
    expect(await other.left(rpm, "k2")).toBe(0);
  });

  it("concurrent requests take units of the batch on its way instead of one call each, still exact at the limit", async () => {
    const { held, left, calls } = setup();
    const rpm = 20_000;
    for (let wave = 0; wave < 10; wave++) {
      const rs = await Promise.all(Array.from({ length: 32 }, () => held.spend("busy", rpm)));
      expect(rs.every((r) => r.success)).toBe(true);
    }
    // the first wave finds nothing held or on its way (32 calls); without joining the batch on its
    // way, each later wave pays a call for most requests the hold does not cover (226 in all)
    expect(calls.length).toBeLessThan(80);
    await settle();
    expect(await left(rpm, "busy")).toBe(rpm - 320 - held.size());
    // near the limit: waves of 32 over 100 units left, joined batches and single asks together
    const other = setup();
    await other.limiterFor(rpm).limit("k2", rpm - 100);
    let admitted = 0;
    for (let wave = 0; wave < 5; wave++) {
      const rs = await Promise.all(Array.from({ length: 32 }, () => other.held.spend("k2", rpm)));
      admitted += rs.filter((r) => r.success).length;
      await settle();
    }
    expect(admitted + other.held.size()).toBe(100);
    expect(await other.left(rpm, "k2")).toBe(0);
  });

  it("when the batch on its way fails (Redis down or hanging), the requests that waited for it fail with it, not after a wait of their own", async () => {
    const { limiterFor } = setup();
    const rpm = 20_000;
    const inner = limiterFor(rpm);
    let hanging = false;
    let tripAfterNext = false;
    let calls = 0;
    const limiter: Limiter = {
      limit: (id, units) => {
        calls++;
        // as ioredis with Redis hanging: each command fails after its timeout
        if (hanging) return new Promise((_, reject) => setTimeout(() => reject(new Error("Redis unavailable")), 100));
        if (tripAfterNext) hanging = true; // Redis answers this one, then hangs
        return inner.limit(id, units);
      },
      refund: (id, s) => inner.refund(id, s),
    };
    const held = new HeldUnits(() => limiter); // nothing held, nothing on its way
    tripAfterNext = true;
    expect((await held.spend("k", rpm)).success).toBe(true); // its own unit; then a batch is sent, and hangs
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => held.spend("k", rpm)));
    expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : "admitted"))).toEqual(Array(10).fill("Error: Redis unavailable"));
    // the first request's own script and the batch: none of the ten sent its own (and waited for its
    // timeout after the batch's)
    expect(calls).toBe(2);
  });
});
