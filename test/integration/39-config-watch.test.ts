// The configuration tokens pushed to every instance (lib/config-version/watch.ts), on the real Redis:
// two watches in this process, each with its own two connections, as two app instances would hold
// them. What must hold: a change returns only once every instance applied it, and an instance
// whose subscription is cut never serves the old token after a change returned (it stops trusting
// what it holds instead). The app's own use of it is covered by 23 (a revoked key fails at once on
// the other instances).
import { randomBytes } from "node:crypto";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { ConfigWatch } from "@/lib/config-version/watch";
import { isServices } from "../support/context";

const LEASE_MS = 800;
const ns = `llmhub-test:${randomBytes(6).toString("hex")}`;
const keys = { gateway: `${ns}:gateway`, sessions: `${ns}:sessions` };
let n = 0;
const newToken = () => `t${++n}-${randomBytes(3).toString("hex")}`;
const clients: Redis[] = [];
const watches: ConfigWatch[] = [];

function instance(name: string): { watch: ConfigWatch; subscriber: Redis } {
  const redis = new Redis(inject("redisUrl"), { enableOfflineQueue: false, maxRetriesPerRequest: 0, connectionName: `${name}-cmd` });
  const subscriber = redis.duplicate({ connectionName: `${name}-sub` });
  for (const c of [redis, subscriber]) c.on("error", () => {});
  clients.push(redis, subscriber);
  const watch = new ConfigWatch({ redis, subscriber, keys, namespace: ns, heartbeatMs: 100, leaseMs: LEASE_MS, newToken });
  watches.push(watch);
  return { watch, subscriber };
}

/** Waits (up to 5 s) until `ok()` holds. */
const until = (ok: () => boolean) => vi.waitFor(() => expect(ok()).toBe(true), { timeout: 5000, interval: 10 });

let a: ReturnType<typeof instance>;
let b: ReturnType<typeof instance>;

beforeAll(async () => {
  if (!isServices()) return;
  a = instance("watch-a");
  b = instance("watch-b");
  await until(() => a.watch.trusted() && b.watch.trusted());
});

afterAll(async () => {
  await Promise.allSettled(watches.map((w) => w.close()));
  for (const c of clients) c.disconnect();
});

describe.runIf(isServices())("configuration tokens pushed to every instance", () => {
  it("both instances hold the same tokens as Redis, made by the first heartbeat", async () => {
    const admin = clients[0]!;
    const [g, s] = await admin.mget(keys.gateway, keys.sessions);
    expect(g).toBeTruthy();
    expect(a.watch.token("gateway")).toBe(g);
    expect(b.watch.token("gateway")).toBe(g);
    expect(b.watch.token("sessions")).toBe(s);
  });

  it("a change returns once the other instance applied it, long before the lease would run out", async () => {
    const next = newToken();
    const started = performance.now();
    await a.watch.announce("gateway", next);
    const took = performance.now() - started;
    // at once on both, and in Redis
    expect(b.watch.token("gateway")).toBe(next);
    expect(a.watch.token("gateway")).toBe(next);
    expect(await clients[0]!.get(keys.gateway)).toBe(next);
    // the acknowledgement ended the wait, not the lease (which would be ≥ LEASE_MS)
    expect(took).toBeLessThan(LEASE_MS);
  });

  it("an instance that hears nothing (a silent partition) never holds the old token once a change returned", async () => {
    const old = b.watch.token("gateway");
    expect(old).toBeTruthy();
    // B's subscription stops delivering without closing (its socket is no longer read): B cannot tell.
    // Its heartbeats still renew its registry entry through its other connection, so A waits for B:
    // either B acknowledges, or B's lease has run out by the time the change returns.
    const socket = (b.subscriber as unknown as { stream: { pause(): void; resume(): void } }).stream;
    socket.pause();
    const next = newToken();
    try {
      await a.watch.announce("gateway", next);
      expect(b.watch.token("gateway")).toBeNull();
    } finally {
      socket.resume();
    }
    // once it hears again, it holds the new token
    await until(() => b.watch.token("gateway") === next);
  });

  it("an instance whose subscription is dropped stops trusting at once and comes back by itself", async () => {
    const admin = clients[0]!;
    const list = String(await admin.client("LIST"));
    const line = list.split("\n").find((l) => l.includes("name=watch-b-sub"));
    const id = /\bid=(\d+)/.exec(line ?? "")?.[1];
    expect(id).toBeTruthy();
    await admin.client("KILL", "ID", id!);
    await until(() => b.subscriber.status !== "ready");
    expect(b.watch.token("gateway")).toBeNull();
    const next = newToken();
    await a.watch.announce("gateway", next);
    await until(() => b.watch.token("gateway") === next);
  });

  it("a token a flushed Redis lost is made again, and both instances move to it", async () => {
    const before = a.watch.token("sessions");
    await clients[0]!.del(keys.sessions);
    await until(() => {
      const t = a.watch.token("sessions");
      return t !== null && t !== before && b.watch.token("sessions") === t;
    });
  });

  it("an instance that left is not waited for", async () => {
    const c = instance("watch-c");
    await until(() => c.watch.trusted());
    await c.watch.close();
    const started = performance.now();
    await a.watch.announce("gateway", newToken());
    expect(performance.now() - started).toBeLessThan(LEASE_MS);
  });
});
