// Background checks (issue 4): two runners on one database check each key once per interval, and
// SIGTERM stops them without losing or half-writing a result. Real Postgres, real worker processes.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createKeyring } from "@/lib/crypto/keyring";
import { isServices } from "../support/context";
import { runNpmScriptOk } from "../support/cli";

const INTERVAL_S = 2;
const ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const name = `llmhub_sched_${randomBytes(4).toString("hex")}`;
const url = `postgres://postgres@127.0.0.1:5432/${name}`;
const workers: ChildProcess[] = [];
let output = "";

function env(): Record<string, string> {
  const base = inject("cliEnv");
  const e: Record<string, string> = { ...base, DATABASE_URL: url, HEALTH_CHECK_INTERVAL_SECONDS: String(INTERVAL_S), LOG_LEVEL: "info" };
  delete e.REDIS_URL;
  for (const [type, u] of Object.entries(inject("fakeBaseUrls"))) if (type !== "custom") e[`PROVIDER_BASE_URL_${type.toUpperCase()}`] = u;
  return e;
}

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/worker.ts"], { env: env() as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  workers.push(child);
  return child;
}

const exited = (c: ChildProcess) => new Promise<number | null>((resolve) => (c.exitCode !== null ? resolve(c.exitCode) : c.once("exit", (code) => resolve(code))));

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill("SIGKILL");
  if (!isServices()) return;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
});

describe.skipIf(!isServices())("background checks with two runners on one database", () => {
  it("checks each key once per interval, and stops cleanly on SIGTERM", async () => {
    const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    await runNpmScriptOk("users", ["list"], { env: env() }); // applies the migrations
    const sql = postgres(url, { max: 2, onnotice: () => {} });
    try {
      const kr = createKeyring([inject("encryptionKey")]);
      const stored = { openai: "sk-proj-sched-ok-000001", anthropic: "sk-ant-api03-sched-ok-01", together: "tgp_v1_ratelimit-sched-1", groq: "gsk_invalid-sched-00001" };
      for (const [type, key] of Object.entries(stored)) {
        const { token, keyId } = kr.encrypt(key);
        await sql`insert into provider_keys (slug, provider_type, name, encrypted_key, encryption_key_id, key_preview, key_fingerprint, next_check_at)
          values (${type}, ${type}, ${type}, ${token}, ${keyId}, '***', ${kr.fingerprint(key)}, now())
          on conflict (slug) do update set encrypted_key = excluded.encrypted_key, encryption_key_id = excluded.encryption_key_id,
            key_fingerprint = excluded.key_fingerprint, next_check_at = now()`;
      }
      const [a, b] = [startWorker(), startWorker()];
      // run until the healthy keys have had three scheduled checks (start + two intervals)
      const deadline = Date.now() + 30_000;
      for (;;) {
        const [counted] = await sql<{ n: number }[]>`select min(c)::int as n from (select count(h.id) as c from provider_keys k
          left join health_checks h on h.provider_key_id = k.id where k.slug in ('openai', 'anthropic', 'groq') group by k.id) per_key`;
        if ((counted?.n ?? 0) >= 3 || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      a.kill("SIGTERM");
      b.kill("SIGTERM");
      expect([await exited(a), await exited(b)], output).toEqual([0, 0]);

      const checks = await sql<{ name: string; at: Date; outcome: string }[]>`
        select k.name, h.checked_at as at, h.outcome from health_checks h join provider_keys k on k.id = h.provider_key_id
        where h.trigger = 'scheduled' order by k.name, h.checked_at`;
      const byKey = new Map<string, Date[]>();
      for (const c of checks) byKey.set(c.name, [...(byKey.get(c.name) ?? []), c.at]);
      // the healthy keys were checked at start and then about once per interval, never twice in one
      for (const type of ["openai", "anthropic", "groq"]) {
        const times = byKey.get(type) ?? [];
        expect(times.length, `${type}: ${times.length} checks\n${output}`).toBeGreaterThanOrEqual(3);
        expect(times.length).toBeLessThanOrEqual(4);
        for (let i = 1; i < times.length; i++) expect(times[i]!.getTime() - times[i - 1]!.getTime()).toBeGreaterThanOrEqual(0.85 * INTERVAL_S * 1000);
      }
      // the rate-limited key backed off (and the fake's Retry-After is 7 s): checked once so far
      expect(byKey.get("together")?.length).toBe(1);
      const rows = await sql`select provider_type, health_status, check_backoff, last_tested from provider_keys where encrypted_key is not null order by 1`;
      expect(rows.map((r) => [r.provider_type, r.health_status, r.check_backoff])).toEqual([
        ["anthropic", "healthy", 0],
        ["groq", "unhealthy", 0],
        ["openai", "healthy", 0],
        ["together", "degraded", 1],
      ]);
      // every row that has a result has all of it (nothing half-written)
      for (const r of rows) expect(r.last_tested).not.toBeNull();
      // the rejected key was checked three or four times by two runners, and raised exactly one alert
      const alerts = await sql<{ slug: string; kind: string }[]>`select k.slug, a.kind from alerts a join provider_keys k on k.id = a.provider_key_id order by a.id`;
      expect(alerts.map((a) => [a.slug, a.kind])).toEqual([["groq", "key_unhealthy"]]);
      expect(output).toMatch(/Worker stopped/);
    } finally {
      await sql.end();
    }
  }, 60_000);
});
