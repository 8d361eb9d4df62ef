import { describe, expect, it } from "vitest";
import { describeLayout, planImport, type PlannedRow } from "./ops-center-plan";
import type { OldColumn, OldRow } from "./ops-center-table";

const TOKEN = "gAAAAAB-token";
/** The production layout (init_litellm_db.sql + migration 002 + v2). */
const PRODUCTION: OldColumn[] = ["id", "name", "type", "api_key_encrypted", "encrypted_api_key", "api_key_source", "base_url", "config", "priority", "enabled"];

let n = 0;
const row = (fields: Omit<OldRow, "id">): OldRow => ({ id: `id-${++n}`, enabled: true, priority: 50, ...fields });
const one = (r: OldRow, columns = PRODUCTION): PlannedRow => planImport([r], columns)[0]!;
const imported = (p: PlannedRow) => {
  if (p.kind !== "import") throw new Error(`expected an import, got ${p.kind}: ${p.reason}`);
  return p;
};

describe("planImport: where each Ops Center row goes", () => {
  it("a built-in provider keeps its name, priority and enabled flag", () => {
    const p = imported(one(row({ name: "OpenAI Direct", type: "OpenAI", api_key_encrypted: TOKEN, priority: 40, enabled: false })));
    expect(p).toMatchObject({ type: "openai", slug: "openai", name: "OpenAI Direct", token: TOKEN, priority: 40, enabled: false, baseUrl: null, notes: [] });
  });

  it("the key comes from api_key_encrypted, else encrypted_api_key unless Ops Center removed it", () => {
    expect(imported(one(row({ name: "A", type: "groq", api_key_encrypted: "gAAAAAB-first", encrypted_api_key: "gAAAAAB-second" }))).token).toBe("gAAAAAB-first");
    const fallback = imported(one(row({ name: "A", type: "groq", api_key_encrypted: null, encrypted_api_key: TOKEN, api_key_source: "database" })));
    expect(fallback.token).toBe(TOKEN);
    expect(fallback.notes).toEqual(["key taken from encrypted_api_key"]);
    const removed = one(row({ name: "A", type: "groq", api_key_encrypted: null, encrypted_api_key: TOKEN, api_key_source: "environment" }));
    expect(removed).toMatchObject({ kind: "skip", reason: expect.stringContaining("removed in Ops Center") });
    // where encrypted_api_key is the only key column, it is the key whatever api_key_source says
    const only = imported(one(row({ name: "A", provider_type: "groq", encrypted_api_key: TOKEN, api_key_source: "environment" }), ["id", "name", "provider_type", "encrypted_api_key", "api_key_source"]));
    expect(only).toMatchObject({ token: TOKEN, notes: [] });
    expect(one(row({ name: "A", type: "groq", api_key_encrypted: "  ", encrypted_api_key: null }))).toMatchObject({ kind: "skip", reason: "no key stored" });
  });

  it("an unknown type becomes a custom endpoint when the row has a base URL, and is skipped otherwise", () => {
    const p = imported(one(row({ name: "ollama-cloud", type: "ollama-cloud", api_key_encrypted: TOKEN, config_base_url: "https://ollama.example/v1" })));
    expect(p).toMatchObject({ type: "custom", slug: "custom:ollama-cloud", baseUrl: "https://ollama.example/v1" });
    expect(p.notes).toEqual(["old type 'ollama-cloud' imported as a custom (OpenAI-compatible) endpoint"]);
    expect(one(row({ name: "HF", type: "huggingface", api_key_encrypted: TOKEN }))).toMatchObject({
      kind: "skip",
      reason: expect.stringContaining("type 'huggingface' has no LLM Hub equivalent"),
    });
    expect(one(row({ name: "C", type: "custom", api_key_encrypted: TOKEN }))).toMatchObject({ kind: "skip", reason: "custom endpoint without a base URL" });
  });

  it("takes the base URL from api_base_url, then config.base_url, then base_url", () => {
    const cols: OldColumn[] = [...PRODUCTION, "api_base_url"];
    const urls = { api_base_url: "http://10.0.0.1/v1", config_base_url: "http://10.0.0.2/v1", base_url: "http://10.0.0.3/v1" };
    expect(imported(one(row({ name: "C", type: "custom", api_key_encrypted: TOKEN, ...urls }), cols)).baseUrl).toBe("http://10.0.0.1/v1");
    expect(imported(one(row({ name: "C", type: "custom", api_key_encrypted: TOKEN, ...urls, api_base_url: null }), cols)).baseUrl).toBe("http://10.0.0.2/v1");
    expect(imported(one(row({ name: "C", type: "custom", api_key_encrypted: TOKEN, base_url: "http://10.0.0.3/v1" }), cols)).baseUrl).toBe("http://10.0.0.3/v1");
  });

  it("a built-in provider's base URL is not kept; a note says so when it points elsewhere, naming only its origin", () => {
    expect(imported(one(row({ name: "OpenRouter", type: "openrouter", api_key_encrypted: TOKEN, api_base_url: "https://openrouter.ai/api" }))).notes).toEqual([]);
    const p = imported(one(row({ name: "Cohere", type: "cohere", api_key_encrypted: TOKEN, base_url: "https://user:pw@proxy.example:8443/cohere?token=abc" })));
    expect(p.baseUrl).toBeNull();
    expect(p.notes).toEqual(["its base URL (https://proxy.example:8443) is not kept: built-in providers take PROVIDER_BASE_URL_COHERE"]);
  });

  it("priority is clamped to LLM Hub's range and left alone when the table has none; NULL or false flags disable", () => {
    expect(imported(one(row({ name: "A", type: "groq", api_key_encrypted: TOKEN, priority: 5000 })))).toMatchObject({ priority: 1000, notes: ["priority 5000 clamped to 1000"] });
    const noPriority: OldColumn[] = ["id", "name", "type", "api_key_encrypted", "enabled"];
    expect(imported(one(row({ name: "A", type: "groq", api_key_encrypted: TOKEN }), noPriority)).priority).toBeUndefined();
    expect(imported(one(row({ name: "A", type: "groq", api_key_encrypted: TOKEN, enabled: null }))).enabled).toBe(false);
    const both: OldColumn[] = ["id", "name", "provider_type", "encrypted_api_key", "enabled", "is_active"];
    expect(imported(one(row({ name: "A", provider_type: "groq", encrypted_api_key: TOKEN, enabled: true, is_active: false }), both)).enabled).toBe(false);
    expect(imported(one(row({ name: "A", provider_type: "groq", encrypted_api_key: TOKEN, enabled: true, is_active: true }), both)).enabled).toBe(true);
    // without either column a row is enabled
    expect(imported(one(row({ name: "A", type: "groq", api_key_encrypted: TOKEN, enabled: undefined }), ["id", "name", "type", "api_key_encrypted"])).enabled).toBe(true);
  });

  it("reads the serial-id catalogue layout by display_name and provider_slug", () => {
    const cols: OldColumn[] = ["id", "display_name", "provider_name", "provider_slug", "base_url", "is_active", "encrypted_api_key", "api_key_source"];
    const p = imported(one({ id: "7", display_name: "Together AI", provider_name: "together", provider_slug: "together", base_url: "https://api.together.xyz", is_active: true, encrypted_api_key: TOKEN, api_key_source: "database" }, cols));
    expect(p).toMatchObject({ type: "together", name: "Together AI", enabled: true, priority: undefined, notes: [] });
  });

  it("an invalid name fails the row", () => {
    expect(one(row({ name: "x".repeat(101), type: "groq", api_key_encrypted: TOKEN }))).toMatchObject({ kind: "fail", reason: "name: must be at most 100 characters" });
  });

  it("rows that land on one LLM Hub row: the highest priority wins, the others are skipped saying which won", () => {
    const plan = planImport(
      [
        row({ name: "OpenAI Backup", type: "openai", api_key_encrypted: TOKEN, priority: 10 }),
        row({ name: "OpenAI Direct", type: "openai", api_key_encrypted: TOKEN, priority: 40 }),
        row({ name: "Lab", type: "custom", api_key_encrypted: TOKEN, config_base_url: "http://10.0.0.1/v1", priority: 1 }),
        row({ name: "LAB", type: "vllm", api_key_encrypted: TOKEN, config_base_url: "http://10.0.0.2/v1", priority: 1 }),
        row({ name: "OpenAI Empty", type: "openai", api_key_encrypted: null, priority: 99 }),
      ],
      PRODUCTION,
    );
    expect(plan.map((p) => [p.name, p.kind])).toEqual([
      ["OpenAI Empty", "skip"], // a row without a key claims nothing
      ["OpenAI Direct", "import"],
      ["OpenAI Backup", "skip"],
      ["Lab", "import"],
      ["LAB", "skip"],
    ]);
    expect(plan[2]).toMatchObject({ reason: expect.stringContaining(`row "OpenAI Direct" already goes to LLM Hub's openai row`) });
    expect(plan[4]).toMatchObject({ reason: expect.stringContaining("custom endpoint names are unique, ignoring case") });
  });

  it("describes which columns it reads", () => {
    expect(describeLayout(PRODUCTION)).toBe(
      "key from api_key_encrypted, then encrypted_api_key; name from name; type from type; base URL from config.base_url, then base_url; priority; enabled from enabled",
    );
    expect(describeLayout(["id", "display_name", "provider_name", "provider_slug", "base_url", "is_active", "encrypted_api_key"])).toBe(
      "key from encrypted_api_key; name from display_name, then provider_name; type from provider_slug; base URL from base_url; no priority; enabled from is_active",
    );
  });
});
