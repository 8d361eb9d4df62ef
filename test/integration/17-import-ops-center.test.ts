// `npm run import:ops-center`: keys stored by Ops Center, in each llm_providers layout it has had
// (test/fixtures/ops-center/) and encrypted by Python's cryptography.fernet as it did, move into
// LLM Hub: rows, previews, fingerprints and audit records; a dry run writes nothing; a second run is a
// no-op; a wrong old key fails row by row; --test records a check per key; no key in any output.
// Each import goes into its own fresh LLM Hub database (PostgreSQL, or PGlite in zero-setup mode).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createKeyring, keyIdOf } from "../../lib/crypto/keyring";
import { type CliResult, runNpmScript } from "../support/cli";
import { mode } from "../support/context";
import { findLeak, providerKey, tooShortKey } from "../support/keys";
import {
  cleanUpOpsCenterTests,
  createLlmHubTarget,
  createOpsCenterDatabase,
  encryptWithPython,
  type OurKeyRow,
  postgresUnreachable,
  type Snapshot,
} from "../support/ops-center";

const fernetKey = () => randomBytes(32).toString("base64url") + "=";
const ourKey = fernetKey();
const ours = createKeyring([ourKey]);
const outputs: CliResult[] = [];
const secrets: string[] = [ourKey];

let noPostgres: string | null = null;
let oldKey = "";
let tokens: Record<string, string> = {};
const K = {
  openrouter: providerKey("openrouter"),
  openaiDirect: providerKey("openai"),
  openaiBackup: providerKey("openai"),
  anthropicRemoved: providerKey("anthropic"),
  groq: providerKey("groq"),
  lab: providerKey("custom"),
  ollama: providerKey("custom"),
  hf: providerKey("custom"),
  cohere: providerKey("cohere", "invalid"),
  together: providerKey("together"),
  togetherNew: providerKey("together"),
  google: providerKey("google"),
  short: tooShortKey(),
};

type Target = Awaited<ReturnType<typeof createLlmHubTarget>>;
const targets: Target[] = [];
async function newTarget(): Promise<Target> {
  const target = await createLlmHubTarget(mode(), inject("cliEnv"), ourKey);
  targets.push(target);
  return target;
}

async function importCli(target: Target, from: string, args: string[] = [], env: Record<string, string> = {}): Promise<CliResult> {
  const out = await runNpmScript("import:ops-center", ["--from", from, ...args], {
    env: { ...target.env, OPS_CENTER_ENCRYPTION_KEY: oldKey, ...env },
    timeoutMs: 120_000,
  });
  outputs.push(out);
  return out;
}

/** What the key tests need: the fake provider for every type, and loopback allowed for custom endpoints. */
const fakeEnv = (): Record<string, string> => {
  const env: Record<string, string> = { PROVIDER_URL_POLICY: "any", PROVIDER_TIMEOUT_MS: "1500" };
  for (const [type, url] of Object.entries(inject("fakeBaseUrls"))) if (type !== "custom") env[`PROVIDER_BASE_URL_${type.toUpperCase()}`] = url;
  return env;
};

const rowLines = (out: CliResult) => out.stdout.split("\n").filter((l) => /^\[\d+\/\d+\] /.test(l));
const lineFor = (out: CliResult, name: string) => rowLines(out).find((l) => l.includes(` ${JSON.stringify(name)} (`)) ?? `(no line for ${name})`;
/** How a row's line starts after its counter: the outcome, padded, and the quoted name. */
const said = (outcome: string, name: string) => `${outcome.padEnd(13)} ${JSON.stringify(name)}`;
const bySlug = (s: Snapshot, slug: string) => s.keys.find((k) => k.slug === slug);

/** A stored row holds exactly this key, the way a save stores it. */
function expectStored(row: OurKeyRow | undefined, key: string) {
  expect(row, "row missing").toBeDefined();
  expect(ours.decrypt(row!.encrypted_key!)).toBe(key);
  expect(row!.encryption_key_id).toBe(keyIdOf(ourKey));
  expect(row!.key_fingerprint).toBe(ours.fingerprint(key));
  expect(row!.key_preview).toBe(`${key.slice(0, 7)}...${key.slice(-4)}`);
  expect(row!.encrypted_key).not.toContain(key);
}

beforeAll(async () => {
  noPostgres = await postgresUnreachable();
  if (noPostgres) return;
  const names = Object.keys(K) as (keyof typeof K)[];
  const made = encryptWithPython(names.map((n) => K[n]));
  oldKey = made.key;
  tokens = Object.fromEntries(names.map((n, i) => [n, made.tokens[i]!]));
  secrets.push(oldKey, ...made.tokens);
});

afterAll(async () => {
  await cleanUpOpsCenterTests();
});

describe("npm run import:ops-center, from the layout Ops Center's provider-keys API runs on", () => {
  let target: Target;
  let from = "";
  // what each imported row must hold: [name in Ops Center, LLM Hub slug, type, priority, enabled, base URL, key]
  let expected: [string, string, string, number, boolean, string | null, string][] = [];

  beforeAll(async () => {
    if (noPostgres) return;
    const custom = inject("fakeBaseUrls").custom!;
    const old = await createOpsCenterDatabase("02-production.sql", [
      { name: "OpenRouter", type: "openrouter", api_key_encrypted: tokens.openrouter, priority: 60, api_key_source: "database" },
      { name: "OpenAI Direct", type: "openai", api_key_encrypted: tokens.openaiDirect, priority: 40, enabled: false },
      { name: "OpenAI Backup", type: "openai", api_key_encrypted: tokens.openaiBackup, priority: 10 },
      // removed in Ops Center: its DELETE empties api_key_encrypted and sets the source to 'environment'
      { name: "Anthropic", type: "anthropic", api_key_encrypted: null, encrypted_api_key: tokens.anthropicRemoved, api_key_source: "environment" },
      { name: "Groq", type: "groq", api_key_encrypted: null, encrypted_api_key: tokens.groq, api_key_source: "database", priority: 45 },
      { name: "Lab vLLM", type: "custom", api_key_encrypted: tokens.lab, config: { base_url: custom } },
      // as backend/scripts/add_ollama_cloud_key_auto.py writes it: the token in both key columns; and
      // its config JSON-encoded twice (a JSON string holding the object), as a client that encodes it
      // before a JSON-encoding driver stores it
      { name: "ollama-cloud", type: "ollama-cloud", api_key_encrypted: tokens.ollama, encrypted_api_key: tokens.ollama, config: JSON.stringify({ base_url: custom, model_prefixes: ["ollama-cloud/"] }) },
      { name: "HuggingFace", type: "huggingface", api_key_encrypted: tokens.hf, priority: 5 },
      { name: "Cohere", type: "cohere", api_key_encrypted: tokens.cohere, priority: 30, base_url: "https://ops:hunter2@proxy.internal.example:8443/cohere?token=abc" },
      { name: "Mistral", type: "mistral", api_key_encrypted: null },
    ]);
    from = old.url;
    target = await newTarget();
    expected = [
      ["OpenRouter", "openrouter", "openrouter", 60, true, null, K.openrouter],
      ["OpenAI Direct", "openai", "openai", 40, false, null, K.openaiDirect],
      ["Groq", "groq", "groq", 45, true, null, K.groq],
      ["Lab vLLM", "custom:lab vllm", "custom", 50, true, custom, K.lab],
      ["ollama-cloud", "custom:ollama-cloud", "custom", 50, true, custom, K.ollama],
      ["Cohere", "cohere", "cohere", 30, true, null, K.cohere],
    ];
  });

  it("--dry-run says what it would import and writes nothing", async (ctx) => {
    ctx.skip(!!noPostgres, noPostgres ?? "");
    const out = await importCli(target, from, ["--dry-run"], { PROVIDER_URL_POLICY: "any" });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain("Dry run: nothing will be written.");
    expect(out.stdout).toContain(`old key ${keyIdOf(oldKey)}`);
    expect(rowLines(out)).toHaveLength(10);
    for (const [name] of expected) expect(lineFor(out, name)).toMatch(/\] would import +"/);
    expect(out.stdout).toContain("Dry run: 6 would be imported, 0 would replace a key, 0 unchanged, 4 skipped, 0 failed. Nothing was written.");
    const after = await target.snapshot();
    expect(after.keys).toEqual([]);
    expect(after.audit).toEqual([]);
  });

  it("imports each key with its name, type, base URL, priority and enabled flag, one audit record per import", async (ctx) => {
    ctx.skip(!!noPostgres, noPostgres ?? "");
    const out = await importCli(target, from, [], { PROVIDER_URL_POLICY: "any" });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain("Done: 6 imported, 0 replaced, 0 unchanged, 4 skipped, 0 failed.");
    expect(out.stdout).toContain(
      "llm_providers: 10 row(s); key from api_key_encrypted, then encrypted_api_key; name from name; type from type; base URL from config.base_url, then base_url; priority; enabled from enabled",
    );
    // one line per row, in Ops Center's order of preference (priority first)
    expect(rowLines(out).map((l) => l.match(/^\[\d+\/10\] (.{13}) (".*?") \(/)?.slice(1, 3).reverse().join(" ").trim())).toEqual([
      '"OpenRouter" imported',
      '"Anthropic" skipped',
      '"Lab vLLM" imported',
      '"Mistral" skipped',
      '"ollama-cloud" imported',
      '"Groq" imported',
      '"OpenAI Direct" imported',
      '"Cohere" imported',
      '"OpenAI Backup" skipped',
      '"HuggingFace" skipped',
    ]);
    expect(lineFor(out, "Groq")).toContain("key taken from encrypted_api_key");
    expect(lineFor(out, "ollama-cloud")).toContain("(ollama-cloud -> custom): old type 'ollama-cloud' imported as a custom (OpenAI-compatible) endpoint");
    expect(lineFor(out, "Cohere")).toContain("its base URL (https://proxy.internal.example:8443) is not kept: built-in providers take PROVIDER_BASE_URL_COHERE");
    expect(out.stdout).not.toMatch(/hunter2|token=abc/);
    expect(lineFor(out, "OpenAI Backup")).toContain(`${said("skipped", "OpenAI Backup")} (openai): row "OpenAI Direct" already goes to LLM Hub's openai row`);
    expect(lineFor(out, "Anthropic")).toContain("the key in encrypted_api_key was removed in Ops Center");
    expect(lineFor(out, "HuggingFace")).toContain("type 'huggingface' has no LLM Hub equivalent");
    expect(lineFor(out, "Mistral")).toContain("no key stored");

    const s = await target.snapshot();
    expect(s.keys.map((k) => k.slug).sort()).toEqual(expected.map((e) => e[1]).sort());
    for (const [name, slug, type, priority, enabled, baseUrl, key] of expected) {
      const row = bySlug(s, slug)!;
      expectStored(row, key);
      expect(row, name).toMatchObject({ name, provider_type: type, priority, enabled, health_status: "unknown", test_status: null, last_tested: null, updated_by: "cli" });
      expect(row.config).toEqual(baseUrl ? { base_url: baseUrl } : {});
    }
    expect(s.checks).toEqual([]); // nothing tested without --test
    expect(s.audit).toHaveLength(6);
    for (const a of s.audit) {
      const row = s.keys.find((k) => k.id === a.target)!;
      expect(row, JSON.stringify(a)).toBeDefined();
      const [, , , , , , key] = expected.find((e) => e[1] === row.slug)!;
      expect(a).toMatchObject({ action: "provider_key.import", outcome: "success", actor_email: "cli", provider_type: row.provider_type, key_fingerprint: ours.fingerprint(key) });
      expect(a.detail).toMatchObject({ source: "ops-center", result: "added", name: row.name, old_type: row.slug === "custom:ollama-cloud" ? "ollama-cloud" : row.provider_type });
      expect(a.detail!.old_id).toEqual(expect.any(String));
    }
  });

  it("a second run finds every key in place: unchanged, nothing written, no audit record", async (ctx) => {
    ctx.skip(!!noPostgres, noPostgres ?? "");
    const before = await target.snapshot();
    const out = await importCli(target, from, [], { PROVIDER_URL_POLICY: "any" });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    for (const [name] of expected) expect(lineFor(out, name)).toMatch(/\] unchanged +"/);
    expect(out.stdout).toContain("Done: 0 imported, 0 replaced, 6 unchanged, 4 skipped, 0 failed.");
    expect(await target.snapshot()).toEqual(before);
  });

  it("with the wrong old key, every key row fails with the reason, exit status 2, nothing written", async (ctx) => {
    ctx.skip(!!noPostgres, noPostgres ?? "");
    const before = await target.snapshot();
    const wrong = encryptWithPython([]).key;
    secrets.push(wrong);
    const out = await importCli(target, from, [`--old-key=${wrong}`], { PROVIDER_URL_POLICY: "any" });
    expect(out.code, out.stdout + out.stderr).toBe(2);
    expect(out.stdout).toContain(`old key ${keyIdOf(wrong)}`);
    for (const [name] of expected) {
      expect(lineFor(out, name)).toMatch(new RegExp(`\\] failed +${JSON.stringify(name)} \\(.*cannot be decrypted with the old key \\(id ${keyIdOf(wrong)}\\)`));
    }
    expect(out.stdout).toContain("Done: 0 imported, 0 replaced, 0 unchanged, 4 skipped, 6 failed.");
    expect(await target.snapshot()).toEqual(before);
  });

  it("--test tests every key now in LLM Hub and records each result as a check does", async (ctx) => {
    ctx.skip(!!noPostgres, noPostgres ?? "");
    const out = await importCli(target, from, ["--test"], fakeEnv());
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(lineFor(out, "OpenRouter")).toMatch(/unchanged +"OpenRouter" \(openrouter\) \| test: healthy \(\d+ ms, \d+ models\)/);
    expect(lineFor(out, "Cohere")).toContain("| test: unhealthy, invalid_key:");
    expect(out.stdout).toContain("Tested 6 key(s): 5 healthy, 0 degraded, 1 unhealthy, 0 not tested.");
    const s = await target.snapshot();
    expect(s.checks).toHaveLength(6);
    for (const [name, slug] of expected) {
      const row = bySlug(s, slug)!;
      const healthy = slug !== "cohere";
      expect(row, name).toMatchObject({ health_status: healthy ? "healthy" : "unhealthy", test_status: healthy ? "success" : "failed" });
      expect(row.last_tested).not.toBeNull();
      expect(s.checks.filter((c) => c.provider_key_id === row.id)).toEqual([{ provider_key_id: row.id, trigger: "manual", outcome: row.health_status }]);
    }
    const tests = s.audit.filter((a) => a.action === "provider_key.test");
    expect(tests).toHaveLength(6);
    for (const a of tests) {
      expect(a).toMatchObject({ actor_email: "cli", outcome: a.provider_type === "cohere" ? "failure" : "success" });
      expect(a.detail).toMatchObject({ source: "database", via: "import:ops-center" });
    }
    expect(s.audit.filter((a) => a.action === "provider_key.import")).toHaveLength(6);
  });
});

describe("rows that cannot come over", () => {
  let target: Target;
  let old: Awaited<ReturnType<typeof createOpsCenterDatabase>>;

  beforeAll(async () => {
    if (noPostgres) return;
    const otherKey = encryptWithPython([K.google]);
    secrets.push(otherKey.key, ...otherKey.tokens);
    old = await createOpsCenterDatabase("02-production.sql", [
      { name: "Together AI", type: "together", api_key_encrypted: tokens.together },
      { name: "Lab", type: "custom", api_key_encrypted: tokens.lab, config: { base_url: "http://10.0.0.5:8000/v1" } },
      { name: "Local Ollama", type: "ollama", api_key_encrypted: tokens.ollama, config: { base_url: "http://127.0.0.1:11434/v1" } },
      { name: "Google", type: "google", api_key_encrypted: otherKey.tokens[0] },
      { name: "Short", type: "openai", api_key_encrypted: tokens.short },
      { name: "Garbage", type: "groq", api_key_encrypted: "not-a-fernet-token" },
      { name: "x".repeat(101), type: "anthropic", api_key_encrypted: tokens.anthropicRemoved },
    ]);
    target = await newTarget();
  });

  it("fail one by one with the reason (exit status 2), and the others are imported", async (ctx) => {
    ctx.skip(!!noPostgres, noPostgres ?? "");
    const out = await importCli(target, old.url); // PROVIDER_URL_POLICY defaults to private
    expect(out.code, out.stdout + out.stderr).toBe(2);
    expect(lineFor(out, "Together AI")).toMatch(/\] imported +"Together AI" \(together\)$/);
    expect(lineFor(out, "Lab")).toMatch(/\] imported +"Lab" \(custom\)$/);
    expect(lineFor(out, "Local Ollama")).toContain(`${said("failed", "Local Ollama")} (ollama -> custom): base URL refused (PROVIDER_URL_POLICY=private):`);
    expect(lineFor(out, "Google")).toContain(`cannot be decrypted with the old key (id ${keyIdOf(oldKey)})`);
    expect(lineFor(out, "Short")).toContain(`${said("failed", "Short")} (openai): the decrypted key must be at least 10 characters`);
    expect(lineFor(out, "Garbage")).toContain("the stored value is not a Fernet token");
    expect(lineFor(out, "x".repeat(101))).toContain("name: must be at most 100 characters");
    expect(out.stdout).toContain("Done: 2 imported, 0 replaced, 0 unchanged, 0 skipped, 5 failed.");
    const s = await target.snapshot();
    expect(s.keys.map((k) => k.slug).sort()).toEqual(["custom:lab", "together"]);
    expect(bySlug(s, "custom:lab")!.config).toEqual({ base_url: "http://10.0.0.5:8000/v1" });
    expect(s.audit.map((a) => a.action)).toEqual(["provider_key.import", "provider_key.import"]);
  });

  it("a key LLM Hub already holds is not overwritten by a different one unless --replace", async (ctx) => {
    ctx.skip(!!noPostgres, noPostgres ?? "");
    await old.run((sql) => sql`update llm_providers set api_key_encrypted = ${tokens.togetherNew!} where name = 'Together AI'`);
    const before = await target.snapshot();
    const kept = await importCli(target, old.url);
    expect(lineFor(kept, "Together AI")).toContain(`${said("skipped", "Together AI")} (together): LLM Hub already holds a different key for this row (--replace overwrites it)`);
    expect(lineFor(kept, "Lab")).toMatch(/\] unchanged +"Lab"/);
    expect(await target.snapshot()).toEqual(before);

    const replaced = await importCli(target, old.url, ["--replace"]);
    expect(lineFor(replaced, "Together AI")).toMatch(/\] replaced +"Together AI" \(together\)$/);
    expect(replaced.stdout).toContain("Done: 0 imported, 1 replaced, 1 unchanged, 0 skipped, 5 failed.");
    const s = await target.snapshot();
    const row = bySlug(s, "together")!;
    expectStored(row, K.togetherNew);
    const last = s.audit.at(-1)!;
    expect(last).toMatchObject({ action: "provider_key.import", target: row.id, key_fingerprint: ours.fingerprint(K.togetherNew) });
    expect(last.detail).toMatchObject({ result: "replaced", name: "Together AI" });
  });
});

describe("every other llm_providers layout Ops Center has had", () => {
  const custom = () => inject("fakeBaseUrls").custom!;
  const LAYOUTS: {
    fixture: string;
    rows: () => Record<string, unknown>[];
    args?: string[];
    expect: { slug: string; name: string; type: string; priority: number; enabled: boolean; baseUrl?: string; key: keyof typeof K }[];
    lines?: [string, string][];
  }[] = [
    {
      fixture: "01-litellm-init.sql",
      rows: () => [
        { name: "OpenAI", type: "openai", api_key_encrypted: tokens.openaiDirect },
        { name: "Anthropic", type: "anthropic", api_key_encrypted: tokens.anthropicRemoved, priority: 70, enabled: false },
        { name: "Lab", type: "custom", api_key_encrypted: tokens.lab, config: { base_url: "http://10.0.0.5:8000/v1" } },
      ],
      expect: [
        { slug: "openai", name: "OpenAI", type: "openai", priority: 50, enabled: true, key: "openaiDirect" },
        { slug: "anthropic", name: "Anthropic", type: "anthropic", priority: 70, enabled: false, key: "anthropicRemoved" },
        { slug: "custom:lab", name: "Lab", type: "custom", priority: 50, enabled: true, baseUrl: "http://10.0.0.5:8000/v1", key: "lab" },
      ],
    },
    {
      // imported and tested in one run: each check is the import's own (trigger "save")
      fixture: "03-litellm-routing.sql",
      args: ["--test"],
      rows: () => [
        { name: "OpenRouter", type: "openrouter", api_key_encrypted: tokens.openrouter, api_base_url: "https://openrouter.ai/api", priority: 1 },
        { name: "OpenAI Direct", type: "openai", api_key_encrypted: tokens.openaiDirect, api_base_url: "https://api.openai.com", priority: 2 },
        { name: "vLLM box", type: "openai_compatible", api_key_encrypted: tokens.lab, api_base_url: custom() },
      ],
      expect: [
        { slug: "openrouter", name: "OpenRouter", type: "openrouter", priority: 1, enabled: true, key: "openrouter" },
        { slug: "openai", name: "OpenAI Direct", type: "openai", priority: 2, enabled: true, key: "openaiDirect" },
        { slug: "custom:vllm box", name: "vLLM box", type: "custom", priority: 0, enabled: true, baseUrl: custom(), key: "lab" },
      ],
      lines: [["OpenRouter", `${said("imported", "OpenRouter")} (openrouter) | test: healthy`], ["vLLM box", "(openai_compatible -> custom): old type 'openai_compatible'"]],
    },
    {
      fixture: "04-llm-management-v1.sql",
      rows: () => [
        { name: "Anthropic", type: "anthropic", api_key_encrypted: tokens.anthropicRemoved, base_url: null },
        { name: "Proxy", type: "custom", api_key_encrypted: tokens.lab, base_url: "http://10.0.0.6:8000/v1", enabled: false },
      ],
      expect: [
        { slug: "anthropic", name: "Anthropic", type: "anthropic", priority: 0, enabled: true, key: "anthropicRemoved" },
        { slug: "custom:proxy", name: "Proxy", type: "custom", priority: 0, enabled: false, baseUrl: "http://10.0.0.6:8000/v1", key: "lab" },
      ],
    },
    {
      fixture: "05-system-keys.sql",
      rows: () => [
        { name: "OpenAI", provider_type: "openai", encrypted_api_key: tokens.openaiDirect, api_key_source: "database", enabled: true, is_active: false },
        { name: "Google AI", provider_type: "google", encrypted_api_key: tokens.google, api_key_source: "database", priority: 5 },
        { name: "Groq", provider_type: "groq", encrypted_api_key: null },
      ],
      expect: [
        { slug: "openai", name: "OpenAI", type: "openai", priority: 0, enabled: false, key: "openaiDirect" },
        { slug: "google", name: "Google AI", type: "google", priority: 5, enabled: true, key: "google" },
      ],
      lines: [["Groq", `${said("skipped", "Groq")} (groq): no key stored`]],
    },
    {
      fixture: "06-llm-tables-002.sql",
      rows: () => [
        { provider_name: "together", provider_slug: "together", display_name: "Together AI", base_url: "https://api.together.xyz", encrypted_api_key: tokens.together, api_key_source: "database" },
        { provider_name: "openai", provider_slug: "openai", display_name: "OpenAI", is_active: false, encrypted_api_key: tokens.openaiDirect, api_key_source: "database" },
      ],
      expect: [
        { slug: "together", name: "Together AI", type: "together", priority: 0, enabled: true, key: "together" },
        { slug: "openai", name: "OpenAI", type: "openai", priority: 0, enabled: false, key: "openaiDirect" },
      ],
      lines: [["Together AI", `${said("imported", "Together AI")} (together)`]],
    },
  ];

  for (const layout of LAYOUTS) {
    it(`${layout.fixture}: every key comes over with what the layout holds`, async (ctx) => {
      ctx.skip(!!noPostgres, noPostgres ?? "");
      const old = await createOpsCenterDatabase(layout.fixture, layout.rows());
      const target = await newTarget();
      const out = await importCli(target, old.url, layout.args ?? [], fakeEnv());
      expect(out.code, out.stdout + out.stderr).toBe(0);
      expect(rowLines(out)).toHaveLength(layout.rows().length);
      for (const [name, text] of layout.lines ?? []) expect(lineFor(out, name)).toContain(text);
      const s = await target.snapshot();
      expect(s.keys.map((k) => k.slug).sort()).toEqual(layout.expect.map((e) => e.slug).sort());
      for (const e of layout.expect) {
        const row = bySlug(s, e.slug)!;
        expectStored(row, K[e.key]);
        expect(row, e.slug).toMatchObject({ name: e.name, provider_type: e.type, priority: e.priority, enabled: e.enabled });
        expect(row.config).toEqual(e.baseUrl ? { base_url: e.baseUrl } : {});
      }
      expect(s.audit.filter((a) => a.action === "provider_key.import")).toHaveLength(layout.expect.length);
      const tested = layout.args?.includes("--test") ?? false;
      expect(s.checks.map((c) => c.trigger)).toEqual(tested ? layout.expect.map(() => "save") : []);
      if (tested) expect(s.keys.every((k) => k.health_status === "healthy")).toBe(true);
    });
  }

  it("a table without a key column, or no table at all: exit status 1 with the reason", async (ctx) => {
    ctx.skip(!!noPostgres, noPostgres ?? "");
    const target = await createLlmHubTarget(mode(), inject("cliEnv"), ourKey); // nothing gets stored in it
    const noKeys = await createOpsCenterDatabase("07-llm-tables.sql", [{ provider_name: "openai", provider_slug: "openai", display_name: "OpenAI" }]);
    const out = await importCli(target, noKeys.url);
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(out.stderr).toContain("has no key column (api_key_encrypted or encrypted_api_key): this version of Ops Center stored no provider keys there");
    const empty = await createOpsCenterDatabase(null);
    const none = await importCli(target, empty.url);
    expect(none.code, none.stdout + none.stderr).toBe(1);
    expect(none.stderr).toMatch(/has no llm_providers table \(is this Ops Center's database\?\)/);
    const noOldKey = await runNpmScript("import:ops-center", ["--from", empty.url], { env: target.env });
    outputs.push(noOldKey);
    expect(noOldKey.code).toBe(1);
    expect(noOldKey.stderr).toContain("set OPS_CENTER_ENCRYPTION_KEY to the BYOK_ENCRYPTION_KEY Ops Center ran with (or pass --old-key)");
    const notAKey = await importCli(target, empty.url, ["--old-key", "not-a-fernet-key"]);
    expect(notAKey.code).toBe(1);
    expect(notAKey.stderr).toContain("the old encryption key is not a Fernet key");
    expect(notAKey.stderr).not.toContain("not-a-fernet-key");
  });
});

describe("secrets", () => {
  it("no key, encryption key or token in any output of the import", (ctx) => {
    ctx.skip(!!noPostgres, noPostgres ?? "");
    expect(outputs.length).toBeGreaterThanOrEqual(10);
    for (const out of outputs) {
      const text = out.stdout + out.stderr;
      expect(findLeak(text)).toBeNull();
      for (const s of secrets) expect(text.includes(s), `output holds a secret: ${text.slice(0, 200)}`).toBe(false);
    }
  });

  it("no plaintext key in any LLM Hub database an import wrote", async (ctx) => {
    ctx.skip(!!noPostgres, noPostgres ?? "");
    expect(targets.length).toBeGreaterThanOrEqual(7);
    for (const target of targets) {
      const text = await target.dump();
      expect(text).toMatch(/gAAAAA[A-Za-z0-9_-]{50,}/); // the keys are there, as Fernet tokens
      expect(findLeak(text)).toBeNull();
    }
  });
});
