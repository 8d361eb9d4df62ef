// Background checks (issue 4): SIGTERM during a sweep. The worker stops taking keys, finishes and
// records the checks in flight, releases its lease and exits 0; nothing is half-written; the keys it
// never claimed are still due and the next runner checks them (and only them). Real Postgres, real
// worker processes, the shared fake provider slowed down so that checks are in flight when SIGTERM lands.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createKeyring } from "@/lib/crypto/keyring";
import type { ProviderType } from "@/lib/providers/catalogue";
import { runNpmScriptOk } from "../support/cli";
import { isServices } from "../support/context";
import { setFakeLatency } from "../support/fake";
import { type Behaviour, findLeak, previewOf, providerKey } from "../support/keys";

const LATENCY_MS = 1500;
const CONCURRENCY = 4;
const INTERVAL_S = 60; // nothing comes due twice within the test
const PROVIDER_TIMEOUT_MS = 5000;
const LEASE = "health-checks";
const ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const name = `llmhub_sigterm_${randomBytes(4).toString("hex")}`;
const url = `postgres://postgres@127.0.0.1:5432/${name}`;
const BUILTINS: ProviderType[] = ["openrouter", "openai", "anthropic", "google", "cohere", "groq", "together", "mistral"];
const CUSTOM = ["sigterm-custom-1", "sigterm-custom-2", "sigterm-custom-3", "sigterm-custom-4"];
/** Two rejected keys (one early in the sweep, one late): their results take the locked write with an alert. */
const REJECTED = new Set(["openai", "custom:sigterm-custom-4"]);
const outcomeOf = (slug: string) => (REJECTED.has(slug) ? "unhealthy" : "healthy");

interface Worker {
  child: ChildProcess;
  output: string;
}
const workers: Worker[] = [];

function env(): Record<string, string> {
  const e: Record<string, string> = {
    ...inject("cliEnv"),
    DATABASE_URL: url,
    HEALTH_CHECK_INTERVAL_SECONDS: String(INTERVAL_S),
    HEALTH_CHECK_CONCURRENCY: String(CONCURRENCY),
    PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
    PROVIDER_URL_POLICY: "any", // the custom endpoints are on the loopback fake
    LOG_LEVEL: "info",
  };
  delete e.REDIS_URL;
  for (const [type, u] of Object.entries(inject("fakeBaseUrls"))) if (type !== "custom") e[`PROVIDER_BASE_URL_${type.toUpperCase()}`] = u;
  return e;
}

function startWorker(): Worker {
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/worker.ts"], { env: env() as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  const w: Worker = { child, output: "" };
  child.stdout!.on("data", (d: Buffer) => (w.output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (w.output += d.toString()));
  workers.push(w);
  return w;
}

const exited = (c: ChildProcess) => new Promise<number | null>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve(c.exitCode) : c.once("exit", (code) => resolve(code))));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends SIGTERM and waits for the exit, at most `boundMs` (then SIGKILL): exit code and how long it took. */
async function sigterm(w: Worker, boundMs: number): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  w.child.kill("SIGTERM");
  const timer = setTimeout(() => w.child.kill("SIGKILL"), boundMs);
  const code = await exited(w.child);
  clearTimeout(timer);
  return { code, ms: Date.now() - t0 };
}

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
  if (!isServices()) return;
  await setFakeLatency(0).catch(() => {});
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
});

interface KeyState {
  id: string;
  slug: string;
  health_status: string;
  test_status: string | null;
  last_tested: Date | null;
  has_last_test: boolean;
  next_check_at: Date | null;
  due: boolean;
  checks: number;
  newest_at: Date | null;
  newest_outcome: string | null;
}

describe.skipIf(!isServices())("SIGTERM during a sweep", () => {
  it("records the checks in flight, half-writes nothing, and the next runner picks up the rest", async () => {
    const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    await runNpmScriptOk("users", ["list"], { env: env() }); // applies the migrations
    const sql = postgres(url, { max: 2, onnotice: () => {} });

    /** Every row of provider_keys with its history summary (all rows: seeded ones must stay untouched too). */
    const states = async (): Promise<Map<string, KeyState>> => {
      const rows = await sql<KeyState[]>`
        select k.id, k.slug, k.health_status, k.test_status, k.last_tested, k.last_test is not null as has_last_test,
          k.next_check_at, coalesce(k.next_check_at <= now(), false) as due,
          (select count(*)::int from health_checks h where h.provider_key_id = k.id) as checks,
          newest.checked_at as newest_at, newest.outcome as newest_outcome
        from provider_keys k
        left join lateral (select checked_at, outcome from health_checks h where h.provider_key_id = k.id order by checked_at desc, id desc limit 1) newest on true
        order by k.slug`;
      return new Map(rows.map((r) => [r.slug, r]));
    };
    /** A rejected key raised exactly one alert with its (first) check, and nothing else raised any. */
    const expectAlertsMatch = async (all: Map<string, KeyState>, context: string) => {
      const rows = await sql<{ slug: string; kind: string }[]>`select k.slug, a.kind from alerts a join provider_keys k on k.id = a.provider_key_id`;
      const expected = [...all.values()].filter((k) => k.checks > 0 && k.health_status === "unhealthy").map((k) => [k.slug, "key_unhealthy"]);
      expect(rows.map((r) => [r.slug, r.kind]).sort(), `alerts ${context}`).toEqual(expected.sort());
      expect((await sql`select count(*)::int as n from alerts`)[0]!.n, `alerts ${context}`).toBe(expected.length);
    };
    const lease = async () => (await sql<{ holder: string; epoch: number; expires_at: Date }[]>`select holder, epoch::int as epoch, expires_at from scheduler_leases where name = ${LEASE}`)[0];
    /** A key has a result iff it has its history: status, test status, last_tested = newest check's time. */
    const expectNothingHalfWritten = (all: Map<string, KeyState>, context: string) => {
      for (const k of all.values()) {
        const where = `${k.slug} (${context})`;
        if (k.checks === 0) {
          expect(k.last_tested, `${where}: last_tested without a history row`).toBeNull();
          expect([k.health_status, k.test_status, k.has_last_test], `${where}: status without a history row`).toEqual(["unknown", null, false]);
        } else {
          expect(k.last_tested?.getTime(), `${where}: history row without its status`).toBe(k.newest_at!.getTime());
          expect(k.health_status, where).toBe(k.newest_outcome);
          expect(k.test_status, where).not.toBeNull();
          expect(k.has_last_test, where).toBe(true);
        }
      }
    };

    try {
      const kr = createKeyring([inject("encryptionKey")]);
      const insert = async (slug: string, type: ProviderType, keyName: string, config: Record<string, string>) => {
        const key = providerKey(type, (REJECTED.has(slug) ? "invalid" : "") satisfies Behaviour);
        const { token, keyId } = kr.encrypt(key);
        await sql`insert into provider_keys (slug, provider_type, name, encrypted_key, encryption_key_id, key_preview, key_fingerprint, config, next_check_at)
          values (${slug}, ${type}, ${keyName}, ${token}, ${keyId}, ${previewOf(key)}, ${kr.fingerprint(key)}, ${sql.json(config)}, now())
          on conflict (slug) do update set encrypted_key = excluded.encrypted_key, encryption_key_id = excluded.encryption_key_id,
            key_preview = excluded.key_preview, key_fingerprint = excluded.key_fingerprint, config = excluded.config, next_check_at = now()`;
      };
      for (const type of BUILTINS) await insert(type, type, type, {});
      for (const n of CUSTOM) await insert(`custom:${n}`, "custom", n, { base_url: inject("fakeBaseUrls").custom! });
      const ours = [...BUILTINS, ...CUSTOM.map((n) => `custom:${n}`)];
      const before = await states();
      for (const slug of ours) expect(before.get(slug)?.due, slug).toBe(true);

      // ---- worker A: SIGTERM while checks are in flight ----
      await setFakeLatency(LATENCY_MS);
      const a = startWorker();
      let atSignal: Map<string, KeyState> | undefined;
      for (const deadline = Date.now() + 30_000; Date.now() < deadline && a.child.exitCode === null; await sleep(25)) {
        const s = await states();
        const claimed = ours.filter((slug) => !s.get(slug)!.due);
        const recorded = ours.filter((slug) => s.get(slug)!.checks > 0);
        // claimed (next_check_at moved one interval ahead) but not yet recorded = in flight
        if (claimed.length >= CONCURRENCY && recorded.length < claimed.length) {
          atSignal = s;
          break;
        }
      }
      expect(atSignal, `worker A never had ${CONCURRENCY} checks in flight\n${a.output}`).toBeDefined();
      const inFlight = ours.filter((slug) => !atSignal!.get(slug)!.due && atSignal!.get(slug)!.checks === 0);
      expect(inFlight.length, a.output).toBeGreaterThan(0);
      const stopA = await sigterm(a, LATENCY_MS + 5000);
      const aExitedAt = new Date();
      expect(stopA.code, a.output).toBe(0);
      expect(a.output).toMatch(/SIGTERM: stopping after the checks in flight/);
      expect(a.output).toMatch(/Worker stopped/);
      expect(stopA.ms, a.output).toBeLessThan(LATENCY_MS + 4000);
      expect(a.output).not.toMatch(/not recorded|sweep failed/i);

      const afterA = await states();
      expectNothingHalfWritten(afterA, "after worker A");
      const claimedByA = ours.filter((slug) => !afterA.get(slug)!.due);
      const unclaimed = ours.filter((slug) => afterA.get(slug)!.due);
      // the checks in flight at SIGTERM were finished and recorded, once each
      for (const slug of inFlight) expect(afterA.get(slug)!.checks, `${slug} was in flight at SIGTERM\n${a.output}`).toBe(1);
      // exactly the keys A claimed have a result: no claimed key was dropped, none checked unclaimed
      expect(ours.filter((slug) => afterA.get(slug)!.checks > 0), a.output).toEqual(claimedByA);
      for (const slug of claimedByA) {
        expect(afterA.get(slug)!.checks, slug).toBe(1);
        expect(afterA.get(slug)!.newest_outcome, slug).toBe(outcomeOf(slug));
      }
      await expectAlertsMatch(afterA, "after worker A");
      // A stopped taking keys: it did not drain the rest of the sweep, which is still due, untouched
      expect(unclaimed.length, `worker A checked every key before exiting\n${a.output}`).toBeGreaterThan(0);
      for (const slug of unclaimed) expect(afterA.get(slug)!.last_tested, slug).toBeNull();
      // nothing other than our keys was checked (seeded rows and the placeholder are not due)
      for (const k of afterA.values()) if (!ours.includes(k.slug)) expect(k.checks, k.slug).toBe(0);
      // the lease was handed back
      const leaseA = await lease();
      expect(leaseA, "worker A never held the lease").toBeDefined();
      expect(leaseA!.expires_at.getTime(), "worker A did not release its lease").toBe(0);

      // ---- worker B: picks up the keys A never claimed, and only those ----
      await setFakeLatency(0);
      const b = startWorker();
      let leaseB: Awaited<ReturnType<typeof lease>>;
      for (const deadline = Date.now() + 20_000; ; await sleep(100)) {
        const s = await states();
        if (ours.every((slug) => s.get(slug)!.checks > 0)) {
          leaseB = await lease();
          break;
        }
        if (Date.now() > deadline || b.child.exitCode !== null) throw new Error(`worker B did not check the remaining keys\n${b.output}`);
      }
      expect(leaseB!.epoch, "worker B did not take the lease over").toBe(leaseA!.epoch + 1);
      expect(leaseB!.holder).not.toBe(leaseA!.holder);
      expect(leaseB!.expires_at.getTime()).toBeGreaterThan(Date.now());
      await sleep(300); // a second check, if B made one, would land now
      const stopB = await sigterm(b, 10_000);
      expect(stopB.code, b.output).toBe(0);
      expect(b.output).toMatch(/Worker stopped/);
      expect(b.output).not.toMatch(/not recorded|sweep failed/i);

      const afterB = await states();
      expectNothingHalfWritten(afterB, "after worker B");
      // every key checked exactly once across both runners, all scheduled, with its outcome
      for (const slug of ours) {
        expect(afterB.get(slug)!.checks, `${slug}: checked twice?\n${b.output}`).toBe(1);
        expect(afterB.get(slug)!.newest_outcome, slug).toBe(outcomeOf(slug));
        expect(afterB.get(slug)!.due, `${slug} left due`).toBe(false);
      }
      const history = await sql<{ slug: string; trigger: string; checked_at: Date }[]>`
        select k.slug, h.trigger, h.checked_at from health_checks h join provider_keys k on k.id = h.provider_key_id order by k.slug`;
      expect(history.length).toBe(ours.length);
      for (const h of history) expect(h.trigger, h.slug).toBe("scheduled");
      // A's results are from before it exited and untouched by B; B checked exactly the unclaimed keys
      for (const slug of claimedByA) expect(afterB.get(slug)!.newest_at!.getTime(), slug).toBe(afterA.get(slug)!.newest_at!.getTime());
      for (const slug of claimedByA) expect(afterB.get(slug)!.newest_at!.getTime(), slug).toBeLessThanOrEqual(aExitedAt.getTime());
      expect(history.filter((h) => h.checked_at.getTime() > aExitedAt.getTime()).map((h) => h.slug).sort()).toEqual([...unclaimed].sort());
      for (const k of afterB.values()) if (!ours.includes(k.slug)) expect(k.checks, k.slug).toBe(0);
      // one alert per rejected key, whichever runner checked it; B released the lease too
      await expectAlertsMatch(afterB, "after worker B");
      expect([...afterB.values()].filter((k) => k.health_status === "unhealthy").map((k) => k.slug).sort()).toEqual([...REJECTED].sort());
      const leaseAfterB = await lease();
      expect([leaseAfterB!.holder, leaseAfterB!.epoch, leaseAfterB!.expires_at.getTime()]).toEqual([leaseB!.holder, leaseB!.epoch, 0]);
      expect(findLeak(a.output + b.output), "a worker logged a key").toBeNull();
    } finally {
      await setFakeLatency(0).catch(() => {});
      await sql.end();
    }
  }, 60_000);
});
