// The audit log's reads on the embedded database of zero-setup mode (PGlite): keyset pages that
// neither repeat nor skip a record while new ones arrive, each filter (a prefix's LIKE wildcards
// taken literally), the reads audited with their filters, and the CSV export read through a cursor.
import { describe, expect, it } from "vitest";
import type { CallContext } from "@/lib/call-context";
import { execSql as exec, withEmbeddedDb } from "@/test/support/embedded-db";

const TAG = `t-${Date.now().toString(36)}`;
const call: CallContext = { actor: { id: "00000000-0000-4000-8000-000000000001", email: "reader@example.com" }, request: { ip: "127.0.0.9", userAgent: "unit" } };

withEmbeddedDb("audit");

/** `n` records with this file's target prefix, actions alternating between two. */
async function insert(n: number, target = TAG, extra = "") {
  await exec(`insert into audit_events (action, outcome, actor_email, target, provider_type, status_code${extra ? ", detail" : ""})
    select case when g % 2 = 0 then 'provider_key.test' else 'auth.login' end, case when g % 3 = 0 then 'denied' else 'success' end,
           'user' || (g % 4) || '@example.com', '${target}', case when g % 2 = 0 then 'openai' else null end, 200${extra ? `, '${extra}'::jsonb` : ""}
    from generate_series(1, ${n}) g`);
}

const parse = async (s: string) => (await import("./schemas")).parseAuditQuery(new URLSearchParams(s));

describe("reading the audit log", () => {
  it("pages newest first without repeating or skipping a record while new ones arrive", async () => {
    const { readAuditPage } = await import("./read");
    await insert(130);
    const expected = (await exec(`select id from audit_events where target = '${TAG}' order by id desc`)).map((r) => Number(r.id));
    const seen: number[] = [];
    let before: number | null | undefined;
    do {
      const page = await readAuditPage(call, await parse(`target=${TAG}&limit=40${before ? `&before=${before}` : ""}`));
      seen.push(...page.events.map((e) => e.id));
      before = page.next_before;
      await insert(7); // newer records arrive between pages
    } while (before);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(130);
  });

  it("filters by actor, action, target, provider, outcome and time, exact or by prefix", async () => {
    const { readAuditPage } = await import("./read");
    const odd = `${TAG}_x%`;
    await insert(12, odd);
    await insert(3, `${TAG}Qx-`); // would match `${TAG}_x%*` if _ or % were wildcards
    const ids = async (s: string) => (await readAuditPage(call, await parse(`${s}&limit=500`))).events.map((e) => e.id);
    const count = async (where: string) => Number((await exec(`select count(*)::int as n from audit_events where ${where}`))[0]!.n);
    expect((await ids(`target=${encodeURIComponent(`${TAG}_x%*`)}`)).length).toBe(12);
    expect((await ids(`target=${encodeURIComponent(odd)}`)).length).toBe(12);
    expect((await ids(`target=${TAG}Q*`)).length).toBe(3);
    const t = encodeURIComponent(`${TAG}*`);
    expect((await ids(`target=${t}&action=provider_key.`)).length).toBe(await count(`target like '${TAG}%' and action like 'provider_key.%'`));
    expect((await ids(`target=${t}&action=auth.login`)).length).toBe(await count(`target like '${TAG}%' and action = 'auth.login'`));
    expect((await ids(`target=${t}&actor=user1@example.com`)).length).toBe(await count(`target like '${TAG}%' and actor_email = 'user1@example.com'`));
    expect((await ids(`target=${t}&actor=USER1*`)).length).toBe(await count(`target like '${TAG}%' and actor_email like 'user1%'`));
    expect((await ids(`target=${t}&provider=openai`)).length).toBe(await count(`target like '${TAG}%' and provider_type = 'openai'`));
    expect((await ids(`target=${t}&outcome=denied`)).length).toBe(await count(`target like '${TAG}%' and outcome = 'denied'`));
    expect(await ids(`target=${t}&from=2099-01-01`)).toEqual([]);
    expect((await ids(`target=${t}&to=2099-01-01`)).length).toBe(await count(`target like '${TAG}%'`));
  });

  it("audits each read with its filters, after reading (a page never shows its own record)", async () => {
    const { readAuditPage } = await import("./read");
    const page = await readAuditPage(call, await parse(`action=audit.read&actor=reader@example.com&limit=3`));
    const [last] = await exec(`select * from audit_events where action = 'audit.read' order by id desc limit 1`);
    expect(page.events.every((e) => e.id < Number(last!.id))).toBe(true);
    expect(last).toMatchObject({ actor_email: "reader@example.com", outcome: "success", ip: "127.0.0.9" });
    expect(last!.detail).toEqual({ filters: { action: "audit.read", actor: "reader@example.com" }, before: null, limit: 3, returned: page.events.length });
  });

  it("exports 100,000 records in cursor batches, newest first, with its own audit record", async () => {
    const { exportAuditCsv } = await import("./read");
    const big = `${TAG}-big`;
    await insert(100_000, big, '{"code":"csrf","note":"=cmd|x"}');
    const q = (await import("./schemas")).parseAuditExportQuery(new URLSearchParams(`target=${big}`));
    let chunks = 0;
    let lines = 0;
    let first = "";
    let header = "";
    let maxChunk = 0;
    for await (const chunk of exportAuditCsv(call, q)) {
      chunks++;
      maxChunk = Math.max(maxChunk, chunk.length);
      const ls = chunk.split("\r\n").filter(Boolean);
      if (!header) [header, first] = [ls.shift()!, ls[0]!];
      lines += ls.length;
    }
    expect(header).toBe("id,at,action,outcome,status_code,actor_id,actor_email,target,provider_type,key_fingerprint,ip,user_agent,detail");
    expect(lines).toBe(100_000);
    expect(chunks).toBe(100); // one per batch of 1000: never the whole result at once
    expect(maxChunk).toBeLessThan(300_000);
    const [newest] = await exec(`select max(id)::text as id from audit_events where target = '${big}'`);
    expect(first.startsWith(`${newest!.id},`)).toBe(true);
    expect(first.endsWith(`"{""code"":""csrf"",""note"":""=cmd|x""}"`)).toBe(true);
    const [rec] = await exec(`select * from audit_events where action = 'audit.export' order by id desc limit 1`);
    expect(rec).toMatchObject({ actor_email: "reader@example.com", outcome: "success" });
    expect(rec!.detail).toEqual({ filters: { target: big } });
  }, 120_000);

  it("stays append-only", async () => {
    await insert(1);
    const refusal = (p: Promise<unknown>) => p.then(() => "done", (e: Error & { cause?: Error }) => e.cause?.message ?? e.message);
    expect(await refusal(exec(`update audit_events set outcome = 'success' where target = '${TAG}'`))).toMatch(/append-only/);
    expect(await refusal(exec(`delete from audit_events where target = '${TAG}'`))).toMatch(/append-only/);
  });
});
