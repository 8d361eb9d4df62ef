// GET /keys (contract section 2) and GET /info (section 6): every provider, masked, in order.
import { describe, expect, inject, it } from "vitest";
import { clearStoredKey, INFO, ISO_UTC, KEYS, listRows, type ProviderRow, rowOf, saveKey, UUID } from "../support/api";
import { signedIn } from "../support/client";
import { admin } from "../support/context";
import { previewOf, providerKey } from "../support/keys";

const BUILT_INS = ["openrouter", "openai", "anthropic", "google", "cohere", "groq", "together", "mistral"];
const DISPLAY: Record<string, string> = {
  openrouter: "OpenRouter",
  openai: "OpenAI",
  anthropic: "Anthropic",
  google: "Google AI",
  cohere: "Cohere",
  groq: "Groq",
  together: "Together AI",
  mistral: "Mistral AI",
  custom: "Custom Endpoint",
};
const FIELDS = [
  "id", "name", "provider_type", "has_key", "key_source", "enabled", "health_status", "last_tested", "test_status",
  "key_preview", "config", "priority", "updated_at", "updated_by", "last_test",
];

/** Rows with a stored key first (contract section 2), then priority descending, then name. */
function expectListOrder(rows: ProviderRow[]): void {
  const stored = (r: ProviderRow) => Number(r.key_source === "database");
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!;
    const b = rows[i]!;
    const order = stored(b) - stored(a) || b.priority - a.priority || a.name.localeCompare(b.name);
    expect(order, `"${a.name}" is listed before "${b.name}"`).toBeLessThanOrEqual(0);
  }
}

function expectRowShape(r: ProviderRow): void {
  for (const f of FIELDS) expect(r, `${r.name} lacks ${f}`).toHaveProperty(f);
  expect(r.id).toMatch(UUID);
  expect(typeof r.enabled).toBe("boolean");
  expect(["database", "environment", "not_set"]).toContain(r.key_source);
  expect(r.has_key).toBe(r.key_source !== "not_set");
  expect(["healthy", "degraded", "unhealthy", "unknown"]).toContain(r.health_status);
  expect([null, "success", "failed"]).toContain(r.test_status);
  expect(Number.isInteger(r.priority)).toBe(true);
  expect(r.updated_at).toMatch(ISO_UTC);
  if (r.last_tested !== null) expect(r.last_tested).toMatch(ISO_UTC);
  expect(Object.keys(r.config).every((k) => k === "base_url")).toBe(true);
  if (r.key_source === "not_set") expect(r.key_preview).toBeNull();
  else expect(r.key_preview).toMatch(/^(.{7}\.\.\..{4}|\*\*\*)$/);
  expect(JSON.stringify(r)).not.toMatch(/encrypted|fingerprint|api_key|gAAAAA/i);
}

describe("GET /api/v1/llm/providers/keys", () => {
  it("a fresh deployment lists 9 rows: the 8 built-in providers and the Custom Endpoint placeholder", () => {
    const initial = inject("initialList");
    expect(initial.success).toBe(true);
    expect(initial.total).toBe(9);
    expect(initial.providers).toHaveLength(9);
    expect(initial.providers.map((r) => r.provider_type).sort()).toEqual([...BUILT_INS, "custom"].sort());
    for (const r of initial.providers) {
      expectRowShape(r);
      expect(r.name).toBe(DISPLAY[r.provider_type]);
      expect(r).toMatchObject({ enabled: true, health_status: "unknown", last_tested: null, test_status: null, last_test: null, config: {} });
    }
    expectListOrder(initial.providers);
  });

  it("key_source: environment for Mistral (MISTRAL_API_KEY, with its preview), not_set for the rest", () => {
    const rows = inject("initialList").providers;
    const mistral = rows.find((r) => r.provider_type === "mistral")!;
    expect(mistral).toMatchObject({ has_key: true, key_source: "environment", key_preview: previewOf(inject("mistralEnvKey")) });
    // an environment key is not a stored key (contract section 2): the row keeps its place by priority and name
    expect(rows.map((r) => r.name)).toEqual(rows.map((r) => r.name).sort((a, b) => a.localeCompare(b)));
    for (const r of rows.filter((x) => x.provider_type !== "mistral")) {
      expect(r, r.name).toMatchObject({ has_key: false, key_source: "not_set", key_preview: null });
    }
  });

  it("lists every built-in provider exactly once, whatever else exists, and total matches", async () => {
    const c = await signedIn(admin("list"));
    const res = await c.get(KEYS);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(res.body.total).toBe(res.body.providers.length);
    const rows = res.body.providers as ProviderRow[];
    for (const t of BUILT_INS) expect(rows.filter((r) => r.provider_type === t), t).toHaveLength(1);
    expect(rows.filter((r) => r.provider_type === "custom").length).toBeGreaterThanOrEqual(1);
    rows.forEach(expectRowShape);
    expectListOrder(rows);
  });

  it("a saved key shows key_source database with the first-7...last-4 preview and its test result", async () => {
    const c = await signedIn(admin("list"));
    const key = providerKey("together");
    const saved = await saveKey(c, { provider_type: "together", api_key: key });
    expect([200, 201]).toContain(saved.status);
    const row = (await rowOf(c, "together"))!;
    expectRowShape(row);
    expect(row).toMatchObject({
      has_key: true,
      key_source: "database",
      key_preview: previewOf(key),
      health_status: "healthy",
      test_status: "success",
      updated_by: admin("list").email,
      last_test: { models_found: 30, error: null, error_code: null },
    });
    expect(row.key_preview).toBe(`${key.slice(0, 7)}...${key.slice(-4)}`);
    expect(typeof row.last_test!.latency_ms).toBe("number");
    expect(Date.now() - Date.parse(row.last_tested!)).toBeLessThan(60_000);
  });

  it("orders rows with a stored key first, then by priority (descending), then by name", async () => {
    const c = await signedIn(admin("list"));
    for (const type of ["cohere", "groq"]) await clearStoredKey(c, type); // two rows without a key, whatever ran before
    const rows = await listRows(c);
    const keyless = rows.filter((r) => !r.has_key && r.provider_type !== "custom");
    const keyed = rows.find((r) => r.key_source === "database")!;
    const env = rows.find((r) => r.key_source === "environment")!; // Mistral, from MISTRAL_API_KEY
    expect(keyless.length).toBeGreaterThanOrEqual(2);
    const [low, high] = [keyless[0]!, keyless[keyless.length - 1]!];
    const restore = [low, high, keyed, env].map((r) => ({ id: r.id, priority: r.priority }));
    try {
      expect((await c.patch(`${KEYS}/${high.id}`, { priority: 900 })).status).toBe(200);
      expect((await c.patch(`${KEYS}/${env.id}`, { priority: 950 })).status).toBe(200);
      expect((await c.patch(`${KEYS}/${keyed.id}`, { priority: -900 })).status).toBe(200);
      const after = await listRows(c);
      expectListOrder(after);
      const firstUnstored = after.findIndex((r) => r.key_source !== "database");
      expect(after[firstUnstored]!.id).toBe(env.id); // highest priority among rows without a stored key
      expect(after[firstUnstored + 1]!.id).toBe(high.id); // an environment key is not a stored key: priority decides
      expect(after.findIndex((r) => r.id === keyed.id)).toBeLessThan(firstUnstored); // a stored key beats priority
    } finally {
      for (const r of restore) await c.patch(`${KEYS}/${r.id}`, { priority: r.priority });
    }
  });
});

describe("GET /api/v1/llm/providers/info", () => {
  it("describes the 9 provider types, all testable", async () => {
    const c = await signedIn(admin("list"));
    const res = await c.get(INFO);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ success: true, total: 9 });
    const infos = res.body.providers as Record<string, unknown>[];
    expect(infos.map((p) => p.provider_type).sort()).toEqual([...BUILT_INS, "custom"].sort());
    for (const p of infos) {
      expect(p.supports_test, String(p.provider_type)).toBe(true);
      expect(p.display_name).toBe(DISPLAY[p.provider_type as string]);
      for (const f of ["description", "key_format", "auth_type"]) expect(typeof p[f], `${p.provider_type}.${f}`).toBe("string");
      expect(p).toHaveProperty("docs_url");
      expect(p).toHaveProperty("env_var");
    }
    expect(infos.find((p) => p.provider_type === "openrouter")).toMatchObject({
      display_name: "OpenRouter",
      description: "Universal LLM proxy - 200+ models",
      key_format: "sk-or-v1-...",
      auth_type: "bearer",
      docs_url: "https://openrouter.ai/keys",
      env_var: "OPENROUTER_API_KEY",
    });
    expect(infos.find((p) => p.provider_type === "google")).toMatchObject({ env_var: "GOOGLE_API_KEY", key_format: "AIza..." });
    expect(infos.find((p) => p.provider_type === "anthropic")).toMatchObject({ auth_type: "x-api-key", key_format: "sk-ant-..." });
    expect(infos.find((p) => p.provider_type === "groq")).toMatchObject({ key_format: "gsk_...", env_var: "GROQ_API_KEY" });
  });
});
