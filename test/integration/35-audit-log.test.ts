// Issue 14 §1: the audit log API. Admins only (a viewer 403, a stranger 401, both audited); newest
// first in keyset pages that neither repeat nor skip while new records arrive; each filter; a bad
// parameter is a 400 naming it; denials (401, 403, CSRF, 429) are there to filter; reading and
// exporting are audited with their filters; the CSV export is the list's records, streamed.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { testKey } from "../support/api";
import { type Client, clientWithAgent, type Json } from "../support/client";
import { admin, isServices, users } from "../support/context";
import { withSql } from "../support/db";
import { findLeak, providerKey, recordSecret } from "../support/keys";

const AUDIT = "/api/v1/audit";
const EXPORT = "/api/v1/audit/export.csv";
const me = admin("audit-log");
const UA = `llmhub-it-audit-log/${randomBytes(4).toString("hex")}`;
type Rec = Record<string, Json>;

let c: Client;
let startedAt = "";
let hubKeyId = "";

const client = () => clientWithAgent(UA);

/**
 * Every record the filters match, read page by page (`limit` each), with `between` run before each
 * next page; from `before` on when given (each read adds an `audit.read` record of its own).
 */
async function readAll(query: string, limit: number, between?: () => Promise<void>, start: number | null = null): Promise<Rec[]> {
  const out: Rec[] = [];
  let before = start;
  for (let i = 0; i < 1000; i++) {
    const res = await c.get(`${AUDIT}?${query}&limit=${limit}${before ? `&before=${before}` : ""}`);
    expect(res.status, res.text).toBe(200);
    out.push(...res.body.events);
    before = res.body.next_before;
    if (before === null) return out;
    expect(res.body.events.length).toBe(limit);
    await between?.();
  }
  throw new Error("paging did not end");
}

/** A CSV body's records (RFC 4180: quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (quoted) {
      cell += ch;
    } else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else {
      cell += ch;
    }
  }
  return rows;
}

const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

describe("the audit log API", () => {
  beforeAll(async () => {
    startedAt = new Date(Date.now() - 1000).toISOString();
    c = await client().signIn(me);
    // something of everything: a change refused as cross-site, key tests up to the rate limit
    const csrf = await c.post("/api/v1/webhooks", { name: "x", url: "https://example.com/hook" }, { origin: "https://evil.example" });
    expect(csrf.status, csrf.text).toBe(403);
    let limited = 0;
    for (let i = 0; i < 12 && !limited; i++) {
      const res = await testKey(c, { provider_type: "openai", api_key: providerKey("openai") });
      if (res.status === 429) limited++;
      else expect(res.status, res.text).toBe(200);
    }
    expect(limited).toBe(1);
    // a change with a target: a hub key made and removed
    const made = await c.post("/api/v1/llm/hub-keys", { name: `audit-log-${randomBytes(3).toString("hex")}` });
    expect(made.status, made.text).toBe(201);
    recordSecret(made.body.key);
    hubKeyId = made.body.hub_key.id;
    expect((await c.delete(`/api/v1/llm/hub-keys/${hubKeyId}`)).status).toBe(200);
  });

  it("is for admins: a stranger gets 401, a viewer 403, and both are recorded as denied", async () => {
    const stranger = client();
    expect((await stranger.get(AUDIT)).status).toBe(401);
    expect((await stranger.get(EXPORT)).status).toBe(401);
    const viewer = await client().signIn(users().viewer);
    const refused = await viewer.get(`${AUDIT}?outcome=denied`);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ detail: "Admin access required", code: "forbidden" });
    expect((await viewer.get(EXPORT)).status).toBe(403);
    const denied = await readAll(q({ action: "audit.", outcome: "denied", from: startedAt }), 100);
    const mine = denied.filter((r) => r.user_agent === UA);
    expect(mine.map((r) => [r.action, r.status_code, r.actor_email])).toEqual([
      ["audit.export", 403, users().viewer.email],
      ["audit.read", 403, users().viewer.email],
      ["audit.export", 401, null],
      ["audit.read", 401, null],
    ]);
  });

  it("shows denials of every kind (401, 403, CSRF, 429) with their detail and the client address", async () => {
    // a cross-site request is refused before its session is read: no actor, but where it came from
    const crossSite = (await readAll(q({ action: "webhook.create", outcome: "denied", from: startedAt }), 50)).filter((r) => r.user_agent === UA);
    expect(crossSite).toHaveLength(1);
    expect(crossSite[0]).toMatchObject({ status_code: 403, actor_email: null, ip: "127.0.0.1", detail: { code: "csrf", via: "api" } });
    const denied = await readAll(q({ actor: me.email, outcome: "denied" }), 50);
    expect(denied.map((r) => [r.action, r.status_code, r.provider_type])).toEqual([["provider_key.test", 429, "openai"]]);
    expect(denied[0]).toMatchObject({ actor_email: me.email, ip: "127.0.0.1", user_agent: UA });
    expect(denied[0]!.actor_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("pages newest first with no duplicate and no gap while new records arrive", async () => {
    // each read is recorded: reading the reads, every page makes a newer record of the same filter
    for (let i = 0; i < 10; i++) expect((await c.get(`${AUDIT}?limit=1`)).status).toBe(200);
    const filter = q({ actor: me.email, action: "audit.read" });
    const paged = await readAll(filter, 3);
    const ids = paged.map((r) => r.id as number);
    expect(ids.length).toBeGreaterThanOrEqual(10);
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeLessThan(ids[i - 1]!);
    // the same view read again in one page: exactly the records the pages showed; the arrivals newer
    const whole = await c.get(`${AUDIT}?${filter}&before=${ids[0]! + 1}&limit=500`);
    expect(whole.body.events.map((r: Rec) => r.id)).toEqual(ids);
    const now = await c.get(`${AUDIT}?${filter}&limit=500`);
    const pages = Math.ceil(ids.length / 3);
    expect(now.body.events.length - ids.length).toBe(pages + 1); // one record per page read, and the one-page read
  });

  it("filters by actor (exact or prefix), action (exact or prefix), target, provider, outcome and time", async () => {
    const all = await readAll(q({ actor: me.email }), 200);
    expect(all.length).toBeGreaterThan(10);
    expect(all.every((r) => r.actor_email === me.email)).toBe(true);
    // later reads add records of their own: compare up to the newest of `all`
    const upTo = (all[0]!.id as number) + 1;
    const read = (params: Record<string, string>, limit = 200) => readAll(q(params), limit, undefined, upTo);
    const stem = me.email.slice(0, 12);
    const prefix = await read({ actor: `${stem}*`, from: startedAt });
    expect(prefix.filter((r) => r.actor_email === me.email).map((r) => r.id)).toEqual(all.map((r) => r.id));
    expect(prefix.every((r) => String(r.actor_email).startsWith(stem))).toBe(true);
    expect(await read({ actor: me.email.slice(0, -1) })).toEqual([]); // without the *, exact

    const exact = await read({ actor: me.email, action: "hub_key.create" });
    expect(exact.map((r) => r.action)).toEqual(["hub_key.create"]);
    const family = await read({ actor: me.email, action: "provider_key." });
    expect(family.length).toBe(11);
    expect(family.every((r) => String(r.action).startsWith("provider_key."))).toBe(true);
    expect(await read({ actor: me.email, action: "provider_key" })).toEqual([]); // exact: no such action

    const openai = await read({ actor: me.email, provider: "openai" });
    expect(openai.length).toBe(11);
    expect(openai.every((r) => r.provider_type === "openai" && r.action === "provider_key.test")).toBe(true);
    expect(openai.filter((r) => r.outcome === "success").length).toBe(10);

    const byOutcome = await Promise.all(["success", "failure", "denied"].map(async (outcome) => [outcome, await read({ actor: me.email, outcome })] as const));
    for (const [outcome, rows] of byOutcome) expect(rows.every((r) => r.outcome === outcome)).toBe(true);
    expect(byOutcome.flatMap(([, rows]) => rows.map((r) => r.id)).sort()).toEqual(all.map((r) => r.id).sort());

    const byTarget = await read({ target: hubKeyId });
    expect(byTarget.map((r) => [r.action, r.actor_email])).toEqual([
      ["hub_key.delete", me.email],
      ["hub_key.create", me.email],
    ]);
    expect((await read({ target: `${hubKeyId.slice(0, 8)}*`, actor: me.email })).map((r) => r.id)).toEqual(byTarget.map((r) => r.id));
    const none = await c.get(`${AUDIT}?${q({ target: `nothing-${randomBytes(4).toString("hex")}` })}`);
    expect(none.body).toEqual({ success: true, events: [], next_before: null });

    const first = all.at(-1)!;
    expect(await read({ actor: me.email, to: first.at })).toEqual([]);
    const between = await read({ actor: me.email, from: first.at, to: all[0]!.at });
    expect(between[0]!.id).toBe(all.find((r) => r.at < all[0]!.at)!.id);
    expect(between.at(-1)!.id).toBe(first.id);
    expect(await read({ actor: me.email, from: "2099-01-01" })).toEqual([]);
  });

  it("answers a bad parameter with a 400 that names it", async () => {
    const cases: [string, RegExp][] = [
      ["limit=0", /^limit: must be at least 1/],
      ["limit=501", /^limit: must be at most 500/],
      ["limit=lots", /^limit: must be a number/],
      ["before=abc", /^before: must be a record id/],
      ["before=0", /^before: /],
      ["outcome=ok", /^outcome: must be one of success, failure, denied/],
      ["provider=acme", /^provider: must be one of /],
      ["from=last-week", /^from: must be an ISO 8601/],
      ["to=2026-13-01", /^to: /],
      ["from=2026-11-02&to=2026-11-01", /^from: must be before to/],
      ["actor=*", /^actor: a prefix needs at least one character/],
      ["action=", /^action: must not be empty/],
      ["sort=asc", /^unknown parameter 'sort'/],
      ["limit=1&limit=2", /^limit: given more than once/],
    ];
    for (const [query, detail] of cases) {
      const res = await c.get(`${AUDIT}?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.code, query).toBe("invalid_request");
      expect(res.body.detail, query).toMatch(detail);
    }
    const csv = await c.get(`${EXPORT}?limit=5`);
    expect(csv.status).toBe(400);
    expect(csv.body.detail).toMatch(/^unknown parameter 'limit'/);
  });

  it("audits every read and export with its filters (one record per request)", async () => {
    const tag = `tag-${randomBytes(4).toString("hex")}`;
    expect((await c.get(`${AUDIT}?${q({ target: tag, outcome: "denied", limit: "7" })}`)).status).toBe(200);
    const exp = await fetch(`${inject("baseUrl")}${EXPORT}?${q({ target: tag })}`, { headers: { cookie: `session_token=${c.cookie("session_token")}`, "user-agent": UA } });
    expect(exp.status).toBe(200);
    await exp.text();
    const reads = await c.get(`${AUDIT}?${q({ actor: me.email, action: "audit.", limit: "2" })}`);
    const [exported, read] = reads.body.events as Rec[];
    expect(exported).toMatchObject({ action: "audit.export", outcome: "success", actor_email: me.email, user_agent: UA, detail: { filters: { target: tag } } });
    expect(read).toMatchObject({ action: "audit.read", outcome: "success", actor_email: me.email, detail: { filters: { target: tag, outcome: "denied" }, limit: 7, before: null, returned: 0 } });
    const count = async () => (await readAll(q({ actor: me.email, action: "audit.read" }), 500)).length;
    const n = await count();
    expect(await count()).toBe(n + 1); // the count itself was one request, hence one record
  });

  it("exports the filtered view as CSV: the list's records, every field", async () => {
    const filter = q({ actor: me.email, action: "provider_key." });
    const list = await readAll(filter, 500);
    const res = await fetch(`${inject("baseUrl")}${EXPORT}?${filter}`, { headers: { cookie: `session_token=${c.cookie("session_token")}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="llmhub-audit-\d{8}T\d{6}Z\.csv"$/);
    const text = await res.text();
    expect(findLeak(text)).toBeNull();
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(["id", "at", "action", "outcome", "status_code", "actor_id", "actor_email", "target", "provider_type", "key_fingerprint", "ip", "user_agent", "detail"]);
    expect(rows.length).toBe(list.length);
    rows.forEach((row, i) => {
      const r = list[i]!;
      const want = [r.id, r.at, r.action, r.outcome, r.status_code, r.actor_id, r.actor_email, r.target, r.provider_type, r.key_fingerprint, r.ip, r.user_agent].map((v) => (v === null ? "" : String(v)));
      expect(row.slice(0, 12)).toEqual(want);
      expect(row[12] === "" ? null : JSON.parse(row[12]!)).toEqual(r.detail);
    });
  });

  it("streams a 100,000-record export from a cursor, in order, without a Content-Length", async (ctx) => {
    ctx.skip(!isServices(), "zero-setup mode: the records are inserted with SQL (the PGlite cursor is a unit test: lib/audit/read.test.ts)");
    const target = `bulk-${randomBytes(4).toString("hex")}`;
    await withSql(
      (sql) => sql`insert into audit_events (action, outcome, actor_email, target, detail)
        select 'provider_key.list', 'success', 'bulk@example.com', ${target}, jsonb_build_object('n', g) from generate_series(1, 100000) g`,
    );
    const res = await fetch(`${inject("baseUrl")}${EXPORT}?${q({ target })}`, { headers: { cookie: `session_token=${c.cookie("session_token")}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBeNull();
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let chunks = 0;
    let lines = 0;
    let rest = "";
    let last = Infinity;
    let ordered = true;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      const parts = (rest + decoder.decode(value, { stream: true })).split("\r\n");
      rest = parts.pop()!;
      for (const line of parts) {
        if (line.startsWith("id,")) continue;
        const id = Number(line.slice(0, line.indexOf(",")));
        if (!(id < last)) ordered = false;
        last = id;
        lines++;
      }
    }
    expect(rest).toBe("");
    expect(lines).toBe(100_000);
    expect(ordered).toBe(true);
    expect(chunks).toBeGreaterThan(50);
  }, 180_000);
});
