import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";

const ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const services = (process.env.LLMHUB_TEST_MODE ?? "services") === "services";
const name = `llmhub_mig_${randomBytes(4).toString("hex")}`;
const admin = services ? postgres(ADMIN_URL, { max: 1, onnotice: () => {} }) : null;

afterAll(async () => {
  if (!admin) return;
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
});

describe.skipIf(!services)("migrations at start (PostgreSQL)", () => {
  it("two instances starting together apply each migration exactly once", async () => {
    await admin!.unsafe(`create database ${name}`);
    const clients = [0, 1, 2].map(() => postgres(`postgres://postgres@127.0.0.1:5432/${name}`, { max: 2, onnotice: () => {} }));
    try {
      const folder = path.resolve("drizzle");
      const applied = await Promise.all(clients.map((c) => migrate(drizzle(c) as unknown as Db, folder)));
      // one instance did the work under the lock, the others found nothing left to do
      const journal = JSON.parse(readFileSync(path.join(folder, "meta/_journal.json"), "utf8")) as { entries: unknown[] };
      const all = journal.entries.length;
      expect(all).toBeGreaterThanOrEqual(5);
      expect(applied.sort()).toEqual([0, 0, all]);
      const c = clients[0]!;
      const rows = await c`select count(*)::int as n from drizzle.__drizzle_migrations`;
      expect(rows[0]?.n).toBe(all);
      const tables = await c`select table_name from information_schema.tables where table_schema = 'public' order by 1`;
      expect(tables.map((t) => t.table_name)).toEqual([
        "alerts",
        "audit_events",
        "health_checks",
        "hub_keys",
        "model_prices",
        "notification_reads",
        "provider_keys",
        "scheduler_leases",
        "sessions",
        "usage_budget_alerts",
        "usage_key_months",
        "usage_records",
        "usage_records_default",
        "usage_rollups",
        "usage_rollups_daily",
        "users",
        "webhook_attempts",
        "webhook_deliveries",
        "webhooks",
      ]);
      // and running again later is a no-op
      expect(await migrate(drizzle(c) as unknown as Db, folder)).toBe(0);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it("the audit log refuses UPDATE, DELETE and TRUNCATE", async () => {
    const c = postgres(`postgres://postgres@127.0.0.1:5432/${name}`, { max: 1, onnotice: () => {} });
    try {
      await c`insert into audit_events (action, outcome) values ('provider_key.test', 'success')`;
      await expect(c`update audit_events set outcome = 'failure'`).rejects.toThrow(/append-only/);
      await expect(c`delete from audit_events`).rejects.toThrow(/append-only/);
      await expect(c`truncate audit_events`).rejects.toThrow(/append-only/);
      const rows = await c`select outcome from audit_events`;
      expect(rows.map((r) => r.outcome)).toEqual(["success"]);
    } finally {
      await c.end();
    }
  });
});
