/**
 * Key-format hints. They warn and never reject: formats change (Gemini moved from `AIza` to `AQ.`),
 * and the network test is what decides. Messages name prefixes only, never any part of the key.
 */
import { PROVIDERS, type ProviderType } from "./catalogue";

/**
 * Prefixes that identify a provider, longest first, so `sk-ant-` is not mistaken for a bare `sk-`
 * (providers.md §2.5). Bare `sk-` is also DeepSeek's and many proxies'; we call it OpenAI because
 * that is the likelier mistake among the providers we support.
 */
const OWNER_PREFIXES: ReadonlyArray<readonly [string, ProviderType]> = [
  ["sk-ant-", "anthropic"],
  ["sk-or-", "openrouter"],
  ["sk-proj-", "openai"],
  ["sk-svcacct-", "openai"],
  ["sk-admin-", "openai"],
  ["gsk_", "groq"],
  ["tgp_v1_", "together"],
  ["AIza", "google"],
  ["AQ.", "google"],
  ["IQ.", "google"],
  ["sk-", "openai"],
];

/** Permissive shapes (providers.md §1 and §3); null means "no documented format, do not warn". */
const PATTERNS: Readonly<Record<ProviderType, RegExp | null>> = {
  openrouter: /^sk-or-[A-Za-z0-9_-]{20,}$/,
  openai: /^sk-[A-Za-z0-9_-]{20,}$/,
  anthropic: /^sk-ant-[A-Za-z0-9_-]{20,}$/,
  google: /^(?:AIza[\w-]{30,}|(?:AQ|IQ)\.[A-Za-z0-9._-]{20,})$/,
  groq: /^gsk_[A-Za-z0-9]{20,}$/,
  together: /^tgp_v1_[A-Za-z0-9_-]{20,}$/,
  cohere: null,
  mistral: null,
  custom: null,
};

const EXPECTED_PREFIX: Partial<Record<ProviderType, string>> = {
  openrouter: "sk-or-v1-",
  openai: "sk-proj-",
  anthropic: "sk-ant-api03-",
  google: "AIza or AQ.",
  groq: "gsk_",
  together: "tgp_v1_",
};

/** The provider a key's prefix clearly points to, if any. */
export function detectKeyProvider(key: string): ProviderType | null {
  for (const [prefix, type] of OWNER_PREFIXES) if (key.startsWith(prefix)) return type;
  return null;
}

/** Warnings about a key's format for the chosen provider; empty when it looks right. */
export function formatWarnings(type: ProviderType, key: string): string[] {
  if (type === "custom") return [];
  const k = key.trim();
  const owner = detectKeyProvider(k);
  if (owner && owner !== type) {
    return [`This looks like ${withArticle(PROVIDERS[owner].displayName)} key, not ${withArticle(PROVIDERS[type].displayName)} key.`];
  }
  const special = specialKeyWarning(type, k);
  if (special) return [special];
  // Older Together keys have no prefix and no documented shape, so only a malformed `tgp_` key is flagged.
  if (type === "together" && !k.startsWith("tgp_")) return [];
  const pattern = PATTERNS[type];
  if (pattern && !pattern.test(k)) {
    const expected = EXPECTED_PREFIX[type];
    const name = PROVIDERS[type].displayName;
    return [`This does not look like ${withArticle(name)} key${expected ? ` (they usually start with ${expected})` : ""}.`];
  }
  return [];
}

/** Key kinds that are real but the wrong tool for this job (providers.md §3.2, §3.3). */
function specialKeyWarning(type: ProviderType, key: string): string | null {
  if (type === "anthropic" && key.startsWith("sk-ant-admin01-")) {
    return "This is an Anthropic Admin API key (sk-ant-admin01-...), which cannot call models. Use a standard API key (sk-ant-api03-...).";
  }
  if (type === "anthropic" && key.startsWith("sk-ant-oat01-")) {
    return "This is an Anthropic OAuth access token (sk-ant-oat01-...), not an API key; it will not work here. Use a standard API key (sk-ant-api03-...).";
  }
  if (type === "openai" && key.startsWith("sk-admin-")) {
    return "This is an OpenAI Admin API key (sk-admin-...), which manages the organization and may not be able to call models.";
  }
  return null;
}

function withArticle(name: string): string {
  return /^[AEIOU]/i.test(name) ? `an ${name}` : `a ${name}`;
}
