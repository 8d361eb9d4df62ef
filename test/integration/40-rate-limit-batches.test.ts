// The shared limiter's batch spends on the real Redis (lib/rate-limit/rolling-window.ts): a hub key's
// units spent ahead in one script (lib/rate-limit/held-unit.ts). A batch gets as many units as are
// left, each unit can be given back on its own, and a batch and single spends never share the last
// unit; HeldUnits over it admits exactly the limit.
import { randomBytes } from "node:crypto";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { HeldUnits } from "@/lib/rate-limit/held-unit";
import { redisLimiter } from "@/lib/rate-limit/limiter";
import { isServices } from "../support/context";

let redis: Redis;
const name = `test-batches-${randomBytes(4).toString("hex")}`;

beforeAll(() => {
  if (!isServices()) return;
  redis = new Redis(inject("redisUrl"), { maxRetriesPerRequest: 1 });
});
afterAll(() => redis?.disconnect());

describe.runIf(isServices())("batch spends on the shared limiter", () => {
  it("a batch gets the units left (up to its size), each refundable on its own", async () => {
    const limiter = redisLimiter(name, { tokens: 10, windowSeconds: 60 }, redis);
    expect((await limiter.limit("a", 4)).spends).toHaveLength(4);
    const r = await limiter.limit("a", 8);
    expect(r.success).toBe(true);
    expect(r.spends).toHaveLength(6); // 10 - 4 left
    expect(r.remaining).toBe(0);
    expect((await limiter.limit("a")).success).toBe(false);
    expect(await redis.zcard(`llmhub:rl:${name}:a`)).toBe(10);
    await limiter.refund("a", r.spends![2]!);
    await limiter.refund("a", r.spends![5]!);
    expect(await redis.zcard(`llmhub:rl:${name}:a`)).toBe(8);
    expect((await limiter.limit("a", 5)).spends).toHaveLength(2);
    const none = await limiter.limit("a", 3);
    expect(none.success).toBe(false);
    expect(none.spends).toEqual([]);
  });

  it("concurrent batches and single spends never exceed the limit", async () => {
    const limiter = redisLimiter(name, { tokens: 50, windowSeconds: 60 }, redis);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => limiter.limit("b", i % 2 ? 7 : 1)));
    const spent = results.reduce((n, r) => n + (r.spends?.length ?? (r.spend ? 1 : 0)), 0);
    expect(spent).toBe(50);
    expect(await redis.zcard(`llmhub:rl:${name}:b`)).toBe(50);
  });

  it("HeldUnits over it admits exactly the limit of a busy key", async () => {
    const rpm = 16_000; // batches of 16
    const limiter = redisLimiter(name, { tokens: rpm, windowSeconds: 60 }, redis);
    await limiter.limit("c", rpm - 30); // the key's other instances spent all but 30
    const held = new HeldUnits(() => limiter);
    const admitted: boolean[] = [];
    for (let i = 0; i < 45; i++) {
      admitted.push((await held.spend("c", rpm)).success);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(admitted.filter(Boolean)).toHaveLength(30);
    expect(admitted.slice(30).every((x) => !x)).toBe(true);
    expect(await redis.zcard(`llmhub:rl:${name}:c`)).toBe(rpm);
    await held.release();
  });

  it("the limit's script goes to Redis once: then by its SHA, and again only after Redis lost it", async () => {
    const limiter = redisLimiter(name, { tokens: 100, windowSeconds: 60 }, redis);
    const monitor = await redis.duplicate().monitor();
    const sent: string[] = [];
    monitor.on("monitor", (_time: string, args: string[]) => {
      // (MONITOR also shows the script's own commands: only the scripts are counted)
      const command = args[0]!.toLowerCase();
      if (command.startsWith("eval") && args.includes(`llmhub:rl:${name}:d`)) sent.push(command);
    });
    try {
      await redis.script("FLUSH"); // as after a restart of Redis
      for (let i = 0; i < 3; i++) expect((await limiter.limit("d")).success).toBe(true);
      await redis.script("FLUSH");
      for (let i = 0; i < 2; i++) expect((await limiter.limit("d")).success).toBe(true);
      await expect.poll(() => sent.length).toBeGreaterThanOrEqual(7);
      // the NOSCRIPT answers are the two evalsha that come before each eval
      expect(sent).toEqual(["evalsha", "eval", "evalsha", "evalsha", "evalsha", "eval", "evalsha"]);
      expect(await redis.zcard(`llmhub:rl:${name}:d`)).toBe(5);
    } finally {
      monitor.disconnect();
    }
  });
});
