/**
 * Postgres restarted under steady load. Savers store keys under a fresh custom endpoint name per
 * save (so each acknowledged save must survive as its own row), one worker replaces the OpenAI key
 * in sequence, readers list, ask /me, test the stored key and probe readiness. Two outages: a plain
 * `pg_ctlcluster restart`, then a stop, a pause under load, and a start. Judged: no 500 and no
 * dropped connection; 503 `unavailable` with a clear detail and Retry-After, answered while
 * Postgres is still down (not held until it is back); readiness naming the database; recovery by
 * itself within RECOVERY_BOUND_MS, and complete (bursts wider than the app's pool all succeed);
 * every acknowledged save present with its preview; no half-written or orphan row.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { KEYS, ME, TEST } from "../support/api";
import { Client } from "../support/client";
import { withSql } from "../support/db";
import { previewOf, providerKey } from "../support/keys";
import { useApp } from "./support/app-server";
import { faultAdmin } from "./support/context";
import { fetchReady, ok, pool, Recorder, recoveryMs, startLoad, type Op } from "./support/load";
import { pause, restartPg, startPg, stopPg } from "./support/services";

const RECOVERY_BOUND_MS = 15_000;
const OUTAGE_MS = 4_000;
const SAVERS = 4;
const version = () => inject("faultsPgVersion");
const customUrl = () => inject("fakeBaseUrls").custom!;

interface Row {
  slug: string;
  provider_type: string;
  name: string;
  has_key: boolean;
  encryption_key_id: string | null;
  key_preview: string | null;
  key_fingerprint: string | null;
}

const readRows = () =>
  withSql((sql) => sql<Row[]>`select slug, provider_type, name, encrypted_key is not null as has_key,
    encryption_key_id, key_preview, key_fingerprint from provider_keys`);

describe("Postgres restarted under load", () => {
  const app = useApp("01-postgres-restart");
  const rec = new Recorder();
  const clients: Client[] = [];
  const t: Record<string, number> = {};
  let before: Set<string>;

  beforeAll(async () => {
    for (let i = 0; i < SAVERS + 3; i++) clients.push(await new Client(app.url()).signIn(faultAdmin("pg")));
    const seed = await clients[0]!.post(KEYS, { provider_type: "openai", api_key: providerKey("openai") });
    expect([200, 201], seed.text).toContain(seed.status);
    before = new Set((await readRows()).map((r) => r.slug));
  });
  afterAll(() => startPg(version())); // never leave the cluster down for the next file

  it("answers 503 during each outage, recovers by itself, and loses no acknowledged save", async () => {
    const load = startLoad(SAVERS + 3, async (w, seq) => {
      const c = clients[w]!;
      if (w < SAVERS) {
        const name = `pg-w${w}-${seq}`;
        const key = providerKey("custom");
        const body = { provider_type: "custom", name, api_key: key, config: { base_url: customUrl() } };
        return rec.call(w, "save", () => c.post(KEYS, body), { target: name, preview: previewOf(key) });
      }
      if (w === SAVERS) {
        const key = providerKey("openai");
        return rec.call(w, "save", () => c.post(KEYS, { provider_type: "openai", api_key: key }), { target: "openai", preview: previewOf(key) });
      }
      if (w === SAVERS + 1) return rec.call(w, "test", () => c.post(TEST, { provider_type: "openai", api_key: null }));
      const kind = ["list", "me", "ready"][seq % 3]!;
      if (kind === "ready") return rec.call(w, kind, () => fetchReady(app.url()));
      return rec.call(w, kind, () => c.get(kind === "list" ? KEYS : ME));
    });
    const kinds = ["save", "test", "list", "me", "ready"];
    // A wait that runs out is not fatal here: the assertions below say what did not come back.
    const settle = (since: number) => rec.waitForSuccess(kinds, since, RECOVERY_BOUND_MS + 10_000).catch(() => {});
    try {
      await rec.waitForSuccess(kinds, 0, 30_000);

      // Outage 1: pg_ctlcluster restart (sessions terminated, back at once).
      t.restartCmd = performance.now();
      t.restartUp = await restartPg(version());
      await settle(t.restartUp);

      // Outage 2: stop, stay down under load for OUTAGE_MS, start.
      t.stopCmd = performance.now();
      await stopPg(version());
      t.down = performance.now();
      await pause(OUTAGE_MS);
      t.startCmd = performance.now();
      t.up = await startPg(version());
      await settle(t.up);
    } finally {
      await load.stop();
    }
    // Fully back: bursts wider than the app's pool (10 connections) reach every pooled connection.
    const burst = await fullPoolBursts(clients[0]!);

    const all = rec.ops;
    const notReady = all.filter((o) => o.kind !== "ready");
    const recovery1 = recoveryMs(notReady, t.restartCmd!, t.restartUp!);
    const recovery2 = recoveryMs(notReady, t.down!, t.up!);
    // Sent while Postgres was down, at least 2 s before it was started again: even a slow 503 lands before it is back.
    const inOutage = all.filter((o) => o.start >= t.down! && o.start <= t.startCmd! - 2000);
    const slowest = Math.max(0, ...inOutage.map((o) => o.end - o.start));
    const fmt = (n: number | null | undefined) => (n == null ? "n/a" : `${Math.round(n)} ms`);
    console.log(
      `[faults/postgres] ${all.length} requests: ${rec.summary()}\n` +
        `  restart: pg_ctlcluster restart took ${fmt(t.restartUp! - t.restartCmd!)}, first 2xx ${fmt(recovery1)} after Postgres accepted\n` +
        `  stop/start: down for ${fmt(t.up! - t.down!)} (start took ${fmt(t.up! - t.startCmd!)}), ${inOutage.length} requests inside the outage ` +
        `(${rec.summary(inOutage)}; slowest answer ${fmt(slowest)}), first 2xx ${fmt(recovery2)} after Postgres accepted`,
    );

    // No 500, no dropped connection; every 503 is the clear "unavailable" answer.
    const bad = notReady.filter((o) => o.status === 0 || (o.status >= 500 && o.status !== 503));
    expect.soft(bad.map((o) => `${o.kind} ${o.status} ${o.detail ?? ""}`), "500s or connection failures").toEqual([]);
    const unclear = notReady.filter((o) => o.status === 503 && (o.code !== "unavailable" || !/database unavailable/i.test(o.detail ?? "") || !o.retryAfter));
    expect.soft(unclear.map((o) => `${o.kind} ${o.code} ${o.detail} retry-after=${o.retryAfter}`)).toEqual([]);
    // Everything sent while Postgres was down got that 503, before Postgres was back (not held until
    // then) — but /me, which needs no more than the session: a session cached under the shared token
    // (lib/auth/session.ts) is answered 200 (no sign-out or user change can commit while Postgres is
    // down), or 503 once its cached copy has aged out.
    const duringOutage = inOutage.filter((o) => o.kind !== "ready");
    expect.soft(duringOutage.length).toBeGreaterThan(0);
    const late = duringOutage.filter((o) => (o.status !== 503 && !(o.kind === "me" && o.status === 200)) || o.end >= t.up!);
    expect.soft(
      late.map((o) => `${o.kind} sent ${fmt(o.start - t.down!)} into the outage: ${o.status} after ${fmt(o.end - o.start)}`),
      "requests sent during the outage that were not answered 503 while Postgres was down",
    ).toEqual([]);
    // Readiness named the database while it was down, and was 200 again afterwards.
    const readyDown = inOutage.filter((o) => o.kind === "ready");
    expect.soft(readyDown.filter((o) => o.status === 503).length, "a readiness answer during the outage").toBeGreaterThan(0);
    for (const o of readyDown.filter((r) => r.end < t.up!)) {
      expect.soft(o.status).toBe(503);
      expect.soft(o.body).toMatchObject({ ready: false, database: { ok: false, error: "unreachable" }, redis: { ok: true } });
    }
    expect.soft(rec.of("ready").filter((o) => o.start >= t.up! && ok(o)).length).toBeGreaterThan(0);
    // Recovery without restarting the app.
    expect.soft(recovery1).not.toBeNull();
    expect.soft(recovery2).not.toBeNull();
    expect.soft(recovery1 ?? Infinity, "recovery after the restart (ms)").toBeLessThan(RECOVERY_BOUND_MS);
    expect.soft(recovery2 ?? Infinity, "recovery after the stop/start (ms)").toBeLessThan(RECOVERY_BOUND_MS);

    expect.soft(burst.filter((r) => !ok(r)).map((r) => `${r.kind} ${r.status} after ${fmt(r.end - r.start)}`), "bursts after recovery").toEqual([]);

    await checkStoredRows([...rec.of("save"), ...burst.filter((o) => o.kind === "save")], before);
  });
});

/** Three bursts of 24 concurrent requests (lists and saves) after the outage, recorded. */
async function fullPoolBursts(c: Client): Promise<Op[]> {
  const rec = new Recorder();
  for (let round = 0; round < 3; round++) {
    await pool(
      Array.from({ length: 24 }, (_, i) => () => {
        if (i % 2) return rec.call(0, "list", () => c.get(KEYS));
        const key = providerKey("custom");
        const body = { provider_type: "custom", name: `pg-burst-${round}-${i}`, api_key: key, config: { base_url: customUrl() } };
        return rec.call(0, "save", () => c.post(KEYS, body), { target: body.name, preview: previewOf(key) });
      }),
      24,
    );
  }
  console.log(`  bursts after recovery (3 x 24 concurrent): ${rec.summary()}`);
  return rec.ops;
}

/** Every acknowledged save is there with its preview; nothing half-written; no row nobody saved. */
async function checkStoredRows(saves: Op[], before: Set<string>): Promise<void> {
  const rows = await readRows();
  const bySlug = new Map(rows.map((r) => [r.slug, r]));

  const half = rows.filter((r) => [r.has_key, r.key_preview !== null, r.key_fingerprint !== null, r.encryption_key_id !== null].some((v) => v !== r.has_key));
  expect.soft(half.map((r) => r.slug), "rows with a key but no preview/fingerprint/key id (or the reverse)").toEqual([]);

  const custom = saves.filter((o) => o.target !== "openai");
  const missing = custom.filter((o) => ok(o)).filter((o) => bySlug.get(`custom:${o.target!.toLowerCase()}`)?.key_preview !== o.preview);
  expect.soft(missing.map((o) => `${o.target} (${o.status})`), "acknowledged saves missing or with another preview").toEqual([]);

  const attempted = new Map(custom.map((o) => [`custom:${o.target!.toLowerCase()}`, o]));
  const orphans = rows.filter((r) => !before.has(r.slug) && !attempted.has(r.slug));
  expect.soft(orphans.map((r) => r.slug), "rows no save asked for").toEqual([]);
  const failedButStored = custom.filter((o) => !ok(o) && bySlug.has(`custom:${o.target!.toLowerCase()}`));
  for (const o of failedButStored) expect.soft(bySlug.get(`custom:${o.target!.toLowerCase()}`)!.key_preview).toBe(o.preview);

  // The built-in row holds the last acknowledged key, or a later one whose save's outcome the
  // client could not know (a 503 may come after the commit, when a later query of the save failed).
  const openai = saves.filter((o) => o.target === "openai").sort((a, b) => a.end - b.end);
  const lastAck = openai.filter(ok).pop();
  const unknownAfter = openai.filter((o) => o.end > (lastAck?.end ?? 0) && o.status === 503).map((o) => o.preview);
  const final = bySlug.get("openai")?.key_preview;
  expect.soft([lastAck?.preview, ...unknownAfter], "the OpenAI row holds the last acknowledged key").toContain(final);

  // A save writes its audit record in the upsert's transaction, so even a key stored by a save that
  // then answered 503 (the outage hit after the commit) is audited.
  const audited = await withSql((sql) => sql<{ fp: string }[]>`select distinct key_fingerprint as fp from audit_events
    where action in ('provider_key.create', 'provider_key.update') and outcome = 'success' and key_fingerprint is not null`);
  const auditedFps = new Set(audited.map((a) => a.fp));
  const unaudited = rows.filter((r) => r.has_key && (!before.has(r.slug) || r.slug === "openai") && !auditedFps.has(r.key_fingerprint!));
  console.log(
    `  rows: ${custom.filter(ok).length} acknowledged custom saves all present; ${custom.filter((o) => !ok(o)).length} failed saves, ` +
      `${failedButStored.length} of them stored anyway (complete rows); openai holds ${final === lastAck?.preview ? "the last acknowledged key" : "a later key whose save answered 503"}; ` +
      `${unaudited.length} stored key(s) without a create/update audit record${unaudited.length ? ` (${unaudited.map((r) => r.name).join(", ")})` : ""}`,
  );
  expect.soft(unaudited.map((r) => r.name), "every stored key has its create/update audit record").toEqual([]);
}
