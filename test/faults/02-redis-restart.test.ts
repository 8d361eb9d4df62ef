/**
 * Redis stopped and started under steady load. The rate-limited endpoints (key test, save, sign-in)
 * must fail closed with 503 and Retry-After while it is down and work again soon after it is back,
 * without an app restart; everything else (list, /me, PATCH, DELETE) must not notice at all.
 * Readiness names Redis while it is down.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { KEYS, ME, TEST } from "../support/api";
import { Client } from "../support/client";
import { withSql } from "../support/db";
import { previewOf, providerKey } from "../support/keys";
import { useApp } from "./support/app-server";
import { faultAdmin } from "./support/context";
import { fetchReady, ok, pool, Recorder, recoveryMs, startLoad } from "./support/load";
import { pause, startRedis, stopRedis } from "./support/services";

const RECOVERY_BOUND_MS = 10_000;
const OUTAGE_MS = 4_000;
const LIMITED = ["test", "save", "login"];
const UNLIMITED = ["list", "me", "patch", "delete"];
const customUrl = () => inject("fakeBaseUrls").custom!;
const saveCustom = (c: Client, name: string, key = providerKey("custom")) =>
  c.post(KEYS, { provider_type: "custom", name, api_key: key, config: { base_url: customUrl() } });

describe("Redis stopped and started under load", () => {
  const app = useApp("02-redis-restart");
  const rec = new Recorder();
  const clients: Client[] = [];
  const deletable: string[] = [];
  let patchId = "";
  const t: Record<string, number> = {};

  beforeAll(async () => {
    for (let i = 0; i < 7; i++) clients.push(await new Client(app.url()).signIn(faultAdmin("redis")));
    const c = clients[0]!;
    const patch = await saveCustom(c, "rd-patch");
    expect(patch.status, patch.text).toBe(201);
    patchId = patch.body.provider_id;
    // Rows for the DELETE worker, made while Redis is up (a save spends a unit of the test budget).
    const made = await pool(Array.from({ length: 120 }, (_, i) => () => saveCustom(c, `rd-del-${i}`)), 8);
    for (const r of made) {
      expect(r.status, r.text).toBe(201);
      deletable.push(r.body.provider_id);
    }
  });
  afterAll(() => startRedis(inject("faultsDir"))); // never leave Redis down for the next file

  it("fails closed on the limited endpoints only, names Redis in readiness, and recovers by itself", async () => {
    const creds = faultAdmin("redis");
    const load = startLoad(7, async (w, seq) => {
      const c = clients[w]!;
      switch (w) {
        case 0:
          return rec.call(w, "test", () => c.post(TEST, { provider_type: "openai", api_key: providerKey("openai") }));
        case 1: {
          const key = providerKey("custom");
          return rec.call(w, "save", () => saveCustom(c, `rd-save-${seq}`, key), { target: `rd-save-${seq}`, preview: previewOf(key) });
        }
        case 2:
          return rec.call(w, "login", () => new Client(app.url()).login(creds.email, creds.password));
        case 3:
          return rec.call(w, seq % 2 ? "list" : "me", () => c.get(seq % 2 ? KEYS : ME));
        case 4:
          return rec.call(w, "patch", () => c.patch(`${KEYS}/${patchId}`, { priority: seq % 100 }));
        case 5: {
          const id = deletable.shift();
          if (!id) return pause(100);
          await pause(100); // the rows made above must last the whole run
          return rec.call(w, "delete", () => c.delete(`${KEYS}/${id}`));
        }
        default:
          return rec.call(w, "ready", () => fetchReady(app.url()));
      }
    });
    const kinds = [...LIMITED, ...UNLIMITED, "ready"];
    try {
      await rec.waitForSuccess(kinds, 0, 30_000);
      t.stopCmd = performance.now();
      await stopRedis();
      t.down = performance.now();
      await pause(OUTAGE_MS);
      t.startCmd = performance.now();
      await startRedis(inject("faultsDir"));
      t.up = performance.now();
      await rec.waitForSuccess(kinds, t.up, RECOVERY_BOUND_MS + 10_000).catch(() => {}); // judged below
    } finally {
      await load.stop();
    }

    const all = rec.ops;
    // Sent while Redis was down, at least 1.5 s before it was started again.
    const inOutage = all.filter((o) => o.start >= t.down! && o.start <= t.startCmd! - 1500);
    const recovery = recoveryMs(all, t.down!, t.up!, LIMITED);
    const perKind = LIMITED.map((k) => `${k} ${Math.round(recoveryMs(all, t.down!, t.up!, [k]) ?? NaN)} ms`).join(", ");
    const slowest = Math.max(0, ...inOutage.map((o) => o.end - o.start));
    console.log(
      `[faults/redis] ${all.length} requests: ${rec.summary()}\n` +
        `  down for ${Math.round(t.up! - t.down!)} ms; ${inOutage.length} requests inside the outage (${rec.summary(inOutage)}; slowest answer ${Math.round(slowest)} ms)\n` +
        `  first 2xx of a limited endpoint ${Math.round(recovery ?? NaN)} ms after Redis answered PING (${perKind})`,
    );

    const bad = all.filter((o) => o.status === 0 || (o.status >= 500 && o.status !== 503));
    expect.soft(bad.map((o) => `${o.kind} ${o.status} ${o.detail ?? ""}`), "500s or connection failures").toEqual([]);
    // Everything that does not need the limiter kept working, before, during and after.
    const broken = all.filter((o) => UNLIMITED.includes(o.kind) && !ok(o));
    expect.soft(broken.map((o) => `${o.kind} ${o.status} ${o.code ?? ""}`), "list, /me, PATCH, DELETE while Redis was down").toEqual([]);
    expect.soft(inOutage.filter((o) => UNLIMITED.includes(o.kind) && ok(o)).length).toBeGreaterThan(0);
    // The limited endpoints failed closed, at once, with the clear answer.
    const limited = inOutage.filter((o) => LIMITED.includes(o.kind));
    for (const k of LIMITED) expect.soft(limited.filter((o) => o.kind === k).length, `${k} requests during the outage`).toBeGreaterThan(0);
    const notClosed = limited.filter(
      (o) => o.status !== 503 || o.code !== "unavailable" || !/rate limiter unavailable/i.test(o.detail ?? "") || !o.retryAfter || o.end >= t.up!,
    );
    expect.soft(
      notClosed.map((o) => `${o.kind} ${o.status} ${o.code} retry-after=${o.retryAfter} after ${Math.round(o.end - o.start)} ms`),
      "limited endpoints during the outage: 503 unavailable with Retry-After, before Redis was back",
    ).toEqual([]);
    // Readiness named Redis (and only Redis) while it was down, and was 200 after.
    const readyDown = inOutage.filter((o) => o.kind === "ready");
    expect.soft(readyDown.length).toBeGreaterThan(0);
    for (const o of readyDown) {
      expect.soft(o.status).toBe(503);
      expect.soft(o.body).toMatchObject({ ready: false, database: { ok: true }, redis: { ok: false, error: "unreachable" } });
    }
    expect.soft(rec.of("ready").filter((o) => o.start >= t.up! && ok(o)).length, "readiness 200 after Redis is back").toBeGreaterThan(0);
    // Back without an app restart, with the limiter really counting again.
    expect.soft(recovery ?? Infinity, "first 2xx of a limited endpoint after Redis is back (ms)").toBeLessThan(RECOVERY_BOUND_MS);
    for (const k of LIMITED) expect.soft(rec.of(k).filter((o) => o.start >= t.up! && ok(o)).length, `${k} succeeds again`).toBeGreaterThan(0);
    const lastTest = rec.of("test").filter(ok).pop();
    expect.soft(lastTest?.body?.error_code ?? null).toBeNull();
    const after = await clients[0]!.post(TEST, { provider_type: "openai", api_key: providerKey("openai") });
    expect.soft(after.status).toBe(200);
    expect.soft(after.headers.get("x-ratelimit-limit")).toBe("10000");

    // A save refused by the limiter wrote nothing; an acknowledged one is stored with its preview.
    const rows = await withSql((sql) => sql<{ name: string; key_preview: string | null }[]>`
      select name, key_preview from provider_keys where name like 'rd-save-%'`);
    const stored = new Map(rows.map((r) => [r.name, r.key_preview]));
    const saves = rec.of("save");
    expect.soft(saves.filter((o) => o.status === 503 && stored.has(o.target!)).map((o) => o.target), "refused saves that wrote a row").toEqual([]);
    expect.soft(saves.filter((o) => ok(o) && stored.get(o.target!) !== o.preview).map((o) => o.target), "acknowledged saves missing").toEqual([]);
  });
});
