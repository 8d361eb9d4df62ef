// Contract section 9, after everything above: no plaintext key (nor the secret marker every generated
// key carries) in any table, in the server log or in Redis. Every response was already checked by the
// shared client as it arrived (test/support/client.ts) and by the raw-socket helper.
import Redis from "ioredis";
import { describe, expect, inject, it } from "vitest";
import { allRecordedKeys, findLeak } from "../support/keys";
import { dumpDatabase } from "../support/secrets-scan";
import { serverLog } from "../support/server-log";

describe("secrets at rest and in the log", () => {
  it("the suite did use keys", () => {
    expect(allRecordedKeys().length).toBeGreaterThan(20);
  });

  it("no table holds a plaintext key; stored keys are Fernet tokens", async () => {
    const dump = await dumpDatabase(inject("databaseUrl"));
    expect(dump.tables).toEqual(expect.arrayContaining(["public.provider_keys", "public.audit_events", "public.users", "public.sessions"]));
    expect(dump.text).toMatch(/gAAAAA[A-Za-z0-9_-]{50,}/);
    expect(findLeak(dump.text)).toBeNull();
  });

  it("the server log holds no plaintext key and no long key prefix", () => {
    const log = serverLog();
    expect(log.length).toBeGreaterThan(0);
    expect(findLeak(log)).toBeNull();
    expect(log).not.toMatch(/(sk-or-v1-|sk-proj-|sk-ant-api03-|gsk_|tgp_v1_|AIza)[0-9a-f]{8}/);
  });

  it("Redis (the rate limiter's keys and values) holds no plaintext key", async () => {
    const redis = new Redis(inject("redisUrl"), { maxRetriesPerRequest: 1 });
    try {
      const keys = await redis.keys("*");
      let text = keys.join("\n");
      for (const k of keys) {
        const type = await redis.type(k);
        if (type === "string") text += `\n${await redis.get(k)}`;
        else if (type === "hash") text += `\n${JSON.stringify(await redis.hgetall(k))}`;
        else if (type === "zset") text += `\n${(await redis.zrange(k, "0", "-1")).join(" ")}`;
      }
      expect(findLeak(text)).toBeNull();
    } finally {
      redis.disconnect();
    }
  });
});
