// The background checker under a controllable clock, on a real (embedded) Postgres and the fake provider.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeProvider, type FakeProvider } from "../../test/fake-provider/server";

const MIN = 60_000;
const INTERVAL = 15 * MIN;
let fake: FakeProvider;
let dir: string;
let t = new Date("2026-11-25T12:00:00.000Z");
const clock = () => t;
const advance = (ms: number) => (t = new Date(t.getTime() + ms));

// imported after the environment is set (lib/env.ts reads it once)
let lib: {
  HealthScheduler: typeof import("./scheduler").HealthScheduler;
  runKeyTest: typeof import("@/lib/key-checks/run").runKeyTest;
  db: typeof import("@/lib/db/client");
  keys: typeof import("@/lib/db/queries/provider-keys");
  sched: typeof import("@/lib/db/queries/scheduler");
  keyring: typeof import("@/lib/config/secrets");
  schema: typeof import("@/lib/db/schema");
};

beforeAll(async () => {
  fake = await startFakeProvider();
  dir = mkdtempSync(path.join(tmpdir(), "llmhub-sched-"));
  Object.assign(process.env, { DATA_DIR: dir, BYOK_ENCRYPTION_KEY: "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=", SESSION_SECRET: "s".repeat(40), LOG_LEVEL: "error", ADMIN_EMAIL: "", PROVIDER_URL_POLICY: "any" });
  delete process.env.DATABASE_URL;
  delete process.env.REDIS_URL;
  for (const [type, url] of Object.entries(fake.baseUrls)) process.env[`PROVIDER_BASE_URL_${type.toUpperCase()}`] = url;
  lib = {
    HealthScheduler: (await import("./scheduler")).HealthScheduler,
    runKeyTest: (await import("@/lib/key-checks/run")).runKeyTest,
    db: await import("@/lib/db/client"),
    keys: await import("@/lib/db/queries/provider-keys"),
    sched: await import("@/lib/db/queries/scheduler"),
    keyring: await import("@/lib/config/secrets"),
    schema: await import("@/lib/db/schema"),
  };
  await (await import("@/lib/boot")).ensureReady();
  await store("openai", "sk-proj-healthy-key-0001");
  await store("groq", "gsk_ratelimit-key-000001"); // the fake answers 429 with Retry-After: 7
  await store("mistral", "mistral-healthy-key-0001", false); // disabled: never checked
}, 60_000);

afterAll(async () => {
  await lib.db.closeDb();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function store(type: string, key: string, enabled = true) {
  const kr = lib.keyring.getKeyring();
  const { token, keyId } = kr.encrypt(key);
  const secret = { encryptedKey: token, encryptionKeyId: keyId, keyPreview: "***", keyFingerprint: kr.fingerprint(key), enabled };
  await lib.keys.upsertProviderKeyBySlug({ slug: type, providerType: type, name: type, ...secret }, secret);
}

const scheduler = (holder: string, random = () => 0.5) =>
  new lib.HealthScheduler({ intervalMs: INTERVAL, concurrency: 2, tickMs: 5_000, clock, random, holder, testKey: lib.runKeyTest });

async function row(type: string) {
  return (await lib.keys.getProviderKeyBySlug(type))!;
}
async function scheduledChecks(type: string) {
  const { healthChecks } = lib.schema;
  const { eq, and } = await import("drizzle-orm");
  const db = await lib.db.getDb();
  return db.select().from(healthChecks).where(and(eq(healthChecks.providerKeyId, (await row(type)).id), eq(healthChecks.trigger, "scheduled")));
}

describe("HealthScheduler", () => {
  it("schedules the first check one jittered interval out and checks nothing before it is due", async () => {
    const a = scheduler("A");
    expect(await a.tick()).toEqual({ leader: true, checked: 0 });
    for (const type of ["openai", "groq", "mistral"]) {
      const next = (await row(type)).nextCheckAt!.getTime() - t.getTime();
      expect(next).toBeGreaterThanOrEqual(0.9 * INTERVAL);
      expect(next).toBeLessThanOrEqual(1.1 * INTERVAL);
    }
    advance(0.85 * INTERVAL);
    expect((await a.tick()).checked).toBe(0);
  });

  it("checks each due enabled key once, skips disabled rows, and records the result and history", async () => {
    advance(0.3 * INTERVAL); // now past every first check
    const a = scheduler("A");
    expect(await a.tick()).toEqual({ leader: true, checked: 2 });
    expect((await a.tick()).checked).toBe(0); // nothing is due twice
    expect(await scheduledChecks("openai")).toHaveLength(1);
    expect(await scheduledChecks("mistral")).toHaveLength(0);
    const openai = await row("openai");
    expect(openai).toMatchObject({ healthStatus: "healthy", testStatus: "success", checkBackoff: 0 });
    expect(openai.nextCheckAt!.getTime() - t.getTime()).toBe(INTERVAL); // random 0.5 = no jitter
  });

  it("backs off a degraded key: twice the interval after one rate-limited check", async () => {
    const groq = await row("groq");
    expect(groq).toMatchObject({ healthStatus: "degraded", checkBackoff: 1 });
    expect(groq.nextCheckAt!.getTime() - t.getTime()).toBe(2 * INTERVAL);
    advance(INTERVAL);
    expect((await scheduler("A").tick()).checked).toBe(1); // openai only
    advance(INTERVAL);
    await scheduler("A").tick();
    expect(await row("groq")).toMatchObject({ checkBackoff: 2 });
    expect((await scheduledChecks("groq")).length).toBe(2);
  });

  it("has one runner: a second instance stands by until the lease expires, and a stale runner cannot write", async () => {
    advance(INTERVAL + 1);
    const a = scheduler("A");
    const b = scheduler("B");
    const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
    expect([ra.leader, rb.leader].sort()).toEqual([false, true]);
    const epochA = await lib.sched.acquireLease("health-checks", "A", t, 60_000);
    expect(epochA).not.toBeNull();
    // A stops renewing (paused); after its lease expires B takes over with a new epoch
    advance(10 * MIN);
    const epochB = await lib.sched.acquireLease("health-checks", "B", t, 60_000);
    expect(epochB).toBe(epochA! + 1);
    const id = (await row("openai")).id;
    const fenceA = { name: "health-checks", holder: "A", epoch: epochA!, now: t };
    expect(await lib.sched.setNextCheck(id, t, fenceA)).toBe(false);
    expect(await lib.sched.setNextCheck(id, t, { ...fenceA, holder: "B", epoch: epochB! })).toBe(true);
  });

  it("works through a backlog in batches within one sweep, renewing its lease while slow checks outlast it", async () => {
    for (const [type, key] of [["anthropic", "sk-ant-api03-healthy-0001"], ["cohere", "cohere-healthy-key-00001"], ["together", "tgp_v1_healthy-key-00001"]]) await store(type!, key!);
    advance(5 * INTERVAL); // every enabled key is due, and the last lease has expired
    let calls = 0;
    // each check takes 30 s of the clock: five of them outlast the 45 s lease (tickMs x 3 + 30 s)
    const slow = new lib.HealthScheduler({
      intervalMs: INTERVAL,
      concurrency: 1,
      tickMs: 5_000,
      dueBatch: 2,
      clock,
      random: () => 0.5,
      holder: "C",
      testKey: async (type, key, baseUrl) => {
        calls++;
        advance(30_000);
        return lib.runKeyTest(type, key, baseUrl);
      },
    });
    const started = t.getTime();
    const out = await slow.tick();
    expect(out).toEqual({ leader: true, checked: 5 }); // openai, groq, anthropic, cohere, together; mistral is disabled
    expect(calls).toBe(5);
    expect(t.getTime() - started).toBe(150_000);
    for (const type of ["anthropic", "cohere", "together"]) expect(await scheduledChecks(type)).toHaveLength(1);
  });
});
