import "server-only";
import { sql } from "drizzle-orm";
import { ensureReady } from "@/lib/boot";
import { getDb, getDbHandle, markDatabaseDown } from "@/lib/db/client";
import { isDatabaseOutage } from "@/lib/errors";
import { getRedis } from "@/lib/rate-limit/redis";

type Check = { ok: boolean; backend: string; error?: string };

/** Readiness: can this instance serve requests right now? Errors are named, never detailed. */
export async function readiness(): Promise<{ ready: boolean; database: Check; redis: Check }> {
  const database: Check = { ok: false, backend: "unknown" };
  try {
    await ensureReady();
    database.backend = (await getDbHandle()).kind;
    await (await getDb()).execute(sql`select 1`);
    database.ok = true;
  } catch (err) {
    if (isDatabaseOutage(err)) markDatabaseDown();
    database.error = "unreachable";
  }
  const redisClient = getRedis();
  const redis: Check = { ok: true, backend: redisClient ? "redis" : "memory" };
  if (redisClient) {
    try {
      await redisClient.ping();
    } catch {
      redis.ok = false;
      redis.error = "unreachable";
    }
  }
  return { ready: database.ok && redis.ok, database, redis };
}
