// When the webhook dispatcher wakes next (zero-setup PGlite): nothing pending means "no time due" (it
// then sleeps its idle poll), not "due now". GREATEST(0, NULL) is 0 in SQL, which once made an idle
// dispatcher query the database every 20 ms, forever, on every instance.
import { describe, expect, it } from "vitest";
import { execSql as exec, withEmbeddedDb } from "@/test/support/embedded-db";

withEmbeddedDb("webhook-due");

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
