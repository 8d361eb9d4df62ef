/**
 * Saves, tests and deletes of the same providers racing from 50 signed-in clients: a built-in
 * provider (its row must stay unique and keep existing) and two custom endpoints (identified by
 * name: removed by a delete, recreated by a save). Judged: no 500, one row per built-in type and at
 * most one per custom name, no half-written row, no stale test state on a row without a key, and a
 * final state that some acknowledged write explains: the last acknowledged one, or (since an
 * acknowledgement leaves the server after the commit) one that overlapped it in time.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { KEYS, listRows, TEST } from "../support/api";
import { Client } from "../support/client";
import { withSql } from "../support/db";
import { previewOf, providerKey } from "../support/keys";
import { useApp } from "./support/app-server";
import { faultAdmin } from "./support/context";
import { ok, pool, Recorder, type Op } from "./support/load";

const CLIENTS = 50;
const OPS_PER_CLIENT = 6;
const ROUNDS = 3;
const BUILTIN = "groq";
const CUSTOM = ["race-a", "race-b"];
const TARGETS = [BUILTIN, ...CUSTOM];
const BUILTIN_TYPES = ["openrouter", "openai", "anthropic", "google", "cohere", "groq", "together", "mistral"];
const ALLOWED: Record<string, number[]> = { save: [200, 201], test: [200, 400, 404], delete: [200, 404] };

interface Row {
  slug: string;
  provider_type: string;
  name: string;
  id: string;
  has_key: boolean;
  key_preview: string | null;
  key_fingerprint: string | null;
  encryption_key_id: string | null;
  test_status: string | null;
  health_status: string;
  last_tested: Date | null;
}

const readRows = () =>
  withSql((sql) => sql<Row[]>`select slug, provider_type, name, id, encrypted_key is not null as has_key, key_preview,
    key_fingerprint, encryption_key_id, test_status, health_status, last_tested from provider_keys`);

describe("saves, tests and deletes of one provider racing from 50 clients", () => {
  const app = useApp("04-races");
  const clients: Client[] = [];
  /** The id each target was last acknowledged with (the built-in row's never changes). */
  const ids = new Map<string, string>();

  beforeAll(async () => {
    const made = await pool(Array.from({ length: CLIENTS }, () => () => new Client(app.url()).signIn(faultAdmin("race"))), 5);
    clients.push(...made);
    const c = clients[0]!;
    const builtin = (await listRows(c)).find((r) => r.provider_type === BUILTIN)!;
    ids.set(BUILTIN, builtin.id);
    // An endpoint nobody touches, so that deleting the raced ones never brings back the placeholder row.
    const anchor = await c.post(KEYS, { provider_type: "custom", name: "race-anchor", api_key: providerKey("custom"), config: { base_url: customUrl() } });
    expect([200, 201]).toContain(anchor.status);
  });

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: ${CLIENTS} clients x ${OPS_PER_CLIENT} racing operations end in a state an acknowledged write explains`, async () => {
      const rec = new Recorder();
      let seed = round * 7919;
      const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const plans = clients.map(() => Array.from({ length: OPS_PER_CLIENT }, () => ({ r: rand(), target: TARGETS[Math.floor(rand() * TARGETS.length)]! })));

      await Promise.all(
        clients.map(async (c, w) => {
          for (const { r, target } of plans[w]!) await operate(rec, c, w, target, r < 0.45 ? "save" : r < 0.7 ? "test" : "delete");
        }),
      );

      const rows = await readRows();
      const unexpected = rec.ops.filter((o) => !ALLOWED[o.kind]!.includes(o.status));
      expect.soft(unexpected.map((o) => `${o.kind} ${o.target} ${o.status} ${o.detail ?? ""}`), "answers outside the contract (500s among them)").toEqual([]);

      for (const t of BUILTIN_TYPES) expect.soft(rows.filter((r) => r.provider_type === t).length, `rows of ${t}`).toBe(1);
      const names = rows.filter((r) => r.provider_type === "custom").map((r) => r.name.toLowerCase());
      expect.soft(names.filter((n, i) => names.indexOf(n) !== i), "custom names stored twice").toEqual([]);
      const half = rows.filter((r) => [r.key_preview, r.key_fingerprint, r.encryption_key_id].some((v) => (v !== null) !== r.has_key));
      expect.soft(half.map((r) => r.slug), "half-written rows").toEqual([]);
      const stale = rows.filter((r) => !r.has_key && (r.test_status !== null || r.last_tested !== null || r.health_status !== "unknown"));
      expect.soft(stale.map((r) => `${r.slug} ${r.test_status} ${r.health_status}`), "rows without a key that keep a test result").toEqual([]);

      const verdicts: string[] = [];
      for (const target of TARGETS) {
        const row = target === BUILTIN ? rows.find((r) => r.provider_type === BUILTIN) : rows.find((r) => r.slug === `custom:${target}`);
        const final = row?.has_key ? row.key_preview : null;
        const { lastAck, candidates } = explainers(rec.ops.filter((o) => o.target === target));
        const effect = (o: Op) => (o.kind === "save" ? o.preview! : null);
        const strict = lastAck !== undefined && effect(lastAck) === final;
        verdicts.push(`${target}: ${final ?? "no key"} (${strict ? "the last acknowledged write" : `an overlapping one of ${candidates.length}`})`);
        if (lastAck === undefined) continue;
        expect.soft(candidates.map(effect), `${target}: final state explained by an acknowledged write`).toContain(final);
      }
      console.log(`[faults/races] round ${round}: ${rec.ops.length} operations: ${rec.summary()}\n  ${verdicts.join("\n  ")}`);
    });
  }

  it("the last two custom endpoints deleted at the same moment bring the Custom Endpoint placeholder back, once", async () => {
    const c = clients[0]!;
    const save = async (body: Record<string, unknown>) => {
      const res = await c.post(KEYS, { provider_type: "custom", api_key: providerKey("custom"), config: { base_url: customUrl() }, ...body });
      expect([200, 201], res.text).toContain(res.status);
      return res.body.provider_id as string;
    };
    // a key saved without a name goes into the placeholder row: then every custom row holds a key
    await save({});
    const last = [await save({ name: "race-last-1" }), await save({ name: "race-last-2" })];
    for (const r of (await readRows()).filter((r) => r.provider_type === "custom" && !last.includes(r.id))) {
      expect((await c.delete(`${KEYS}/${r.id}`)).status).toBe(200);
    }
    expect((await readRows()).filter((r) => r.provider_type === "custom").map((r) => r.id).sort()).toEqual([...last].sort());

    // Hold both rows, so that both deletes start (and take their snapshots, each still seeing the
    // other's row) before either can go on; then let them race. Each must notice that the other
    // endpoint is going too, or neither would bring the placeholder back.
    let deletes: ReturnType<Client["delete"]>[] = [];
    await withSql((holder) =>
      holder.begin(async (tx) => {
        await tx`select id from provider_keys where id in ${tx(last)} for update`;
        deletes = last.map((id, i) => clients[i + 1]!.delete(`${KEYS}/${id}`));
        await withSql(async (watch) => {
          for (let waited = 0; ; waited += 20) {
            const [row] = await watch<{ n: number }[]>`select count(*)::int as n from pg_stat_activity
              where wait_event_type = 'Lock' and datname = current_database()`;
            if (row!.n >= 2) return;
            if (waited > 10_000) throw new Error(`only ${row!.n} of the two deletes reached the held rows`);
            await new Promise((r) => setTimeout(r, 20));
          }
        });
      }),
    ); // the commit lets both go
    expect((await Promise.all(deletes)).map((r) => r.status)).toEqual([200, 200]);
    const left = (await readRows()).filter((r) => r.provider_type === "custom").map((r) => ({ name: r.name, has_key: r.has_key }));
    expect(left, "the placeholder, once, without a key").toEqual([{ name: "Custom Endpoint", has_key: false }]);
  });

  /** One racing operation on `target`; saves record the preview of the key they sent. */
  async function operate(rec: Recorder, c: Client, w: number, target: string, kind: "save" | "test" | "delete"): Promise<void> {
    const isCustom = target !== BUILTIN;
    const id = ids.get(target);
    if (kind === "save" || (isCustom && !id)) {
      const key = providerKey(isCustom ? "custom" : BUILTIN);
      const body = isCustom ? { provider_type: "custom", name: target, api_key: key, config: { base_url: customUrl() } } : { provider_type: BUILTIN, api_key: key };
      const op = await rec.call(w, "save", () => c.post(KEYS, body), { target, preview: previewOf(key) });
      if (ok(op)) ids.set(target, op.body.provider_id);
      return;
    }
    if (kind === "test") {
      await rec.call(w, "test", () => c.post(TEST, isCustom ? { provider_type: "custom", id } : { provider_type: BUILTIN, api_key: null }), { target });
      return;
    }
    await rec.call(w, "delete", () => c.delete(`${KEYS}/${id}`), { target });
  }
});

function customUrl(): string {
  return inject("fakeBaseUrls").custom!;
}

/**
 * The acknowledged writes (saves, and deletes answered 200) of one target: the last one by
 * acknowledgement time, and every one that may have been applied last, i.e. was still in flight
 * when the last-sent write was sent (a write that ended before another began was applied before it).
 */
function explainers(ops: Op[]): { lastAck: Op | undefined; candidates: Op[] } {
  const writes = ops.filter((o) => (o.kind === "save" || o.kind === "delete") && ok(o));
  const lastAck = [...writes].sort((a, b) => a.end - b.end).pop();
  const lastStart = Math.max(...writes.map((o) => o.start));
  return { lastAck, candidates: writes.filter((o) => o.end >= lastStart) };
}
