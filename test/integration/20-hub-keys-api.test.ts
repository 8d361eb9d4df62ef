// Hub keys admin API (gateway.md section 1): shown once, listed masked, changed, rotated, deleted,
// validated with 400s naming the field, CSRF-checked, admin-only, audited without the key.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ISO_UTC, UUID } from "../support/api";
import { Client, signedIn } from "../support/client";
import { isServices, users } from "../support/context";
import { recordSecret } from "../support/keys";

const HUB_KEYS = "/api/v1/llm/hub-keys";
const KEY_SHAPE = /^llmhub_[0-9A-Za-z]{40}$/;
const PREVIEW = /^llmhub_[0-9A-Za-z]{3}…[0-9A-Za-z]{4}$/;

let admin: Client;
beforeAll(async () => {
  admin = await signedIn(users().bootstrap);
});

async function create(body: Record<string, unknown>) {
  const res = await admin.post(HUB_KEYS, body);
  if (res.body?.key) recordSecret(res.body.key);
  return res;
}

describe("hub keys admin API", () => {
  let id = "";
  let key = "";

  it("creates a key and shows it once", async () => {
    const res = await create({ name: "billing-app", owner: "team billing", allowed: ["openai/*", "Groq/llama-*"], rpm_limit: 120, monthly_budget_usd: 25.5, expires_at: "2999-06-01T00:00:00Z" });
    expect(res.status, res.text).toBe(201);
    key = res.body.key;
    expect(key).toMatch(KEY_SHAPE);
    id = res.body.hub_key.id;
    expect(id).toMatch(UUID);
    expect(res.body.hub_key).toMatchObject({
      name: "billing-app",
      owner: "team billing",
      allowed: ["openai/*", "groq/llama-*"],
      rpm_limit: 120,
      monthly_budget_usd: 25.5,
      expires_at: "2999-06-01T00:00:00.000Z",
      enabled: true,
      status: "active",
      key_preview: `${key.slice(0, 10)}…${key.slice(-4)}`,
      created_by: users().bootstrap.email,
      last_used_at: null,
    });
    expect(res.body.hub_key.created_at).toMatch(ISO_UTC);
    expect(res.text).not.toContain("hash");
  });

  it("lists and reads keys masked, never with the key", async () => {
    const list = await admin.get(HUB_KEYS);
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(key);
    const row = list.body.hub_keys.find((k: { id: string }) => k.id === id);
    expect(row.key_preview).toMatch(PREVIEW);
    expect(list.body.total).toBe(list.body.hub_keys.length);
    const one = await admin.get(`${HUB_KEYS}/${id}`);
    expect(one.status).toBe(200);
    expect(one.body.hub_key).toEqual(row);
    expect(Object.keys(row).sort()).toEqual(
      ["allowed", "created_at", "created_by", "enabled", "expires_at", "id", "key_preview", "last_used_at", "monthly_budget_usd", "name", "owner", "rpm_limit", "scopes", "status", "this_month", "updated_at", "updated_by"].sort(),
    );
  });

  it("changes only the fields sent; null clears", async () => {
    const res = await admin.patch(`${HUB_KEYS}/${id}`, { enabled: false, rpm_limit: null, allowed: [] });
    expect(res.status, res.text).toBe(200);
    expect(res.body.hub_key).toMatchObject({ name: "billing-app", owner: "team billing", enabled: false, status: "disabled", rpm_limit: null, allowed: [], monthly_budget_usd: 25.5 });
    const expired = await admin.patch(`${HUB_KEYS}/${id}`, { enabled: true, expires_at: "2001-01-01T00:00:00Z" });
    expect(expired.body.hub_key.status).toBe("expired");
  });

  it("rotates: a new key, shown once, same settings", async () => {
    const res = await admin.post(`${HUB_KEYS}/${id}/rotate`);
    expect(res.status, res.text).toBe(200);
    recordSecret(res.body.key);
    expect(res.body.key).toMatch(KEY_SHAPE);
    expect(res.body.key).not.toBe(key);
    expect(res.body.hub_key).toMatchObject({ id, name: "billing-app", monthly_budget_usd: 25.5, key_preview: `${res.body.key.slice(0, 10)}…${res.body.key.slice(-4)}` });
  });

  it("deletes: gone from the list and from GET, a second delete is 404", async () => {
    const res = await admin.delete(`${HUB_KEYS}/${id}`);
    expect(res.status, res.text).toBe(200);
    expect((await admin.get(`${HUB_KEYS}/${id}`)).status).toBe(404);
    expect((await admin.get(HUB_KEYS)).body.hub_keys.some((k: { id: string }) => k.id === id)).toBe(false);
    expect((await admin.delete(`${HUB_KEYS}/${id}`)).status).toBe(404);
    expect((await admin.patch(`${HUB_KEYS}/${id}`, { name: "x" })).status).toBe(404);
    expect((await admin.post(`${HUB_KEYS}/${id}/rotate`)).status).toBe(404);
  });

  it.each([
    [{}, "name: field required"],
    [{ name: "x", allowed: ["open ai/*"] }, "allowed.0: must not contain spaces or control characters"],
    [{ name: "x", rpm_limit: -5 }, "rpm_limit: must be at least 1"],
    [{ name: "x", monthly_budget_usd: "ten" }, "monthly_budget_usd: must be a number of US dollars"],
    [{ name: "x", expires_at: "2000-01-01T00:00:00Z" }, "expires_at: must be in the future"],
    [{ name: "x", key: "llmhub_mine" }, "unknown field 'key'"],
  ])("refuses %j with 400 naming the field", async (body, detail) => {
    const res = await admin.post(HUB_KEYS, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail, code: "invalid_request" });
  });

  it("answers 404 for ids that are not keys, and 400 for an empty PATCH", async () => {
    expect((await admin.get(`${HUB_KEYS}/not-a-uuid`)).status).toBe(404);
    expect((await admin.get(`${HUB_KEYS}/00000000-0000-4000-8000-000000000000`)).body).toEqual({ detail: "Hub key not found", code: "not_found" });
    const made = await create({ name: "patch-me" });
    const res = await admin.patch(`${HUB_KEYS}/${made.body.hub_key.id}`, {});
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/^send at least one of name, owner/);
  });

  it("refuses cross-site mutations (CSRF)", async () => {
    const res = await admin.post(HUB_KEYS, { name: "csrf" }, { origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("csrf");
    expect((await admin.get(HUB_KEYS)).body.hub_keys.some((k: { name: string }) => k.name === "csrf")).toBe(false);
  });

  it("is for admins only", async () => {
    const viewer = await signedIn(users().viewer);
    for (const [method, path] of [["GET", HUB_KEYS], ["POST", HUB_KEYS], ["GET", `${HUB_KEYS}/${id}`], ["DELETE", `${HUB_KEYS}/${id}`], ["POST", `${HUB_KEYS}/${id}/rotate`]] as const) {
      const res = await viewer.request(method, path, method === "POST" && path === HUB_KEYS ? { name: "v" } : undefined);
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    const anonymous = await new Client().get(HUB_KEYS);
    expect(anonymous.status).toBe(401);
  });

  describe.skipIf(!isServices())("audit and storage", () => {
    let sql: postgres.Sql;
    beforeAll(() => {
      sql = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
    });
    afterAll(() => sql.end());

    it("audits every change, and stores only a hash", async () => {
      const rows = await sql`select action, detail::text as detail from audit_events where target = ${id} order by id`;
      expect(rows.map((r) => r.action)).toEqual(["hub_key.create", "hub_key.update", "hub_key.update", "hub_key.rotate", "hub_key.delete"]);
      const [stored] = await sql`select key_hash, deleted_at from hub_keys where id = ${id}`;
      expect(stored!.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored!.deleted_at).not.toBeNull();
      const denied = await sql`select count(*)::int as n from audit_events where action like 'hub_key.%' and outcome = 'denied'`;
      expect(denied[0]!.n).toBeGreaterThan(0);
    });
  });
});
