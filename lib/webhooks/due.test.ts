// When the webhook dispatcher wakes next (zero-setup PGlite): nothing pending means "no time due" (it
// then sleeps its idle poll), not "due now". GREATEST(0, NULL) is 0 in SQL, which once made an idle
// dispatcher query the database every 20 ms, forever, on every instance.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let root: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "llmhub-webhook-due-"));
  Object.assign(process.env, { DATA_DIR: root, LOG_LEVEL: "error" });
  for (const v of ["DATABASE_URL", "REDIS_URL"]) delete process.env[v];
  const { getDb } = await import("@/lib/db/client");
  const { migrate } = await import("@/lib/db/migrate");
  await migrate(await getDb());
}, 120_000);

afterAll(async () => {
  await (await import("@/lib/db/client")).closeDb();
  rmSync(root, { recursive: true, force: true });
});

async function exec(text: string) {
  const { getDb } = await import("@/lib/db/client");
  const { sql } = await import("drizzle-orm");
  await (await getDb()).execute(sql.raw(text));
}

describe("the next webhook delivery due", () => {
  it("is none while nothing is pending, the time left when one is queued, and 0 once it is overdue", async () => {
    const { msUntilNextDelivery } = await import("@/lib/db/queries/webhooks");
    expect(await msUntilNextDelivery()).toBeNull();

    await exec(`insert into webhooks (id, name, kind, encrypted_url, url_preview, encrypted_secret, secret_preview)
                values ('00000000-0000-4000-8000-0000000000aa', 'w', 'generic', 'x', 'x', 'x', 'x')`);
    await exec(`insert into webhook_deliveries (webhook_id, event, body, status, next_attempt_at)
                values ('00000000-0000-4000-8000-0000000000aa', 'e', '{}', 'delivered', now() - interval '1 hour')`);
    expect(await msUntilNextDelivery()).toBeNull(); // delivered ones do not count

    await exec(`insert into webhook_deliveries (webhook_id, event, body, next_attempt_at)
                values ('00000000-0000-4000-8000-0000000000aa', 'e', '{}', now() + interval '30 seconds')`);
    const ms = await msUntilNextDelivery();
    expect(ms).toBeGreaterThan(25_000);
    expect(ms).toBeLessThanOrEqual(30_000);

    await exec(`insert into webhook_deliveries (webhook_id, event, body, next_attempt_at)
                values ('00000000-0000-4000-8000-0000000000aa', 'e', '{}', now() - interval '5 seconds')`);
    expect(await msUntilNextDelivery()).toBe(0);
  });
});
