/**
 * The provider catalogue: the nine provider types the hub knows, with the facts the UI, the
 * `/providers/info` endpoint and the key tester need. Validation requests live in `requests.ts`;
 * this file is data only.
 */

/** Every provider type, in the order the catalogue is shown. */
export const PROVIDER_TYPES = [
  "openrouter",
  "openai",
  "anthropic",
  "google",
  "cohere",
  "groq",
  "together",
  "mistral",
  "custom",
] as const;

export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** How the key is sent: `Authorization: Bearer`, Anthropic's `x-api-key`, or Google's `x-goog-api-key`. */
export type AuthType = "bearer" | "x-api-key" | "x-goog-api-key";

export interface ProviderInfo {
  type: ProviderType;
  displayName: string;
  description: string;
  /** A hint shown next to the key field (docs/api.md, `key_format` in "GET /api/v1/llm/providers/info"), not a validation rule. */
  keyFormat: string;
  authType: AuthType;
  /** Default base URL; `PROVIDER_BASE_URL_<TYPE>` overrides it. Null for custom (user supplied). */
  defaultBaseUrl: string | null;
  /** Environment variables that supply a fallback key, checked in this order. */
  envVars: readonly string[];
  /** Where keys are created. Null for custom. */
  docsUrl: string | null;
}

export const PROVIDERS: Readonly<Record<ProviderType, ProviderInfo>> = {
  openrouter: {
    type: "openrouter",
    displayName: "OpenRouter",
    description: "Universal LLM proxy - 200+ models",
    keyFormat: "sk-or-v1-...",
    authType: "bearer",
    defaultBaseUrl: "https://openrouter.ai/api/v1",
    envVars: ["OPENROUTER_API_KEY"],
    docsUrl: "https://openrouter.ai/keys",
  },
  openai: {
    type: "openai",
    displayName: "OpenAI",
    description: "GPT and o-series models, embeddings, images",
    keyFormat: "sk-proj-...",
    authType: "bearer",
    defaultBaseUrl: "https://api.openai.com/v1",
    envVars: ["OPENAI_API_KEY"],
    docsUrl: "https://platform.openai.com/api-keys",
  },
  anthropic: {
    type: "anthropic",
    displayName: "Anthropic",
    description: "Claude models (Opus, Sonnet, Haiku)",
    keyFormat: "sk-ant-...",
    authType: "x-api-key",
    defaultBaseUrl: "https://api.anthropic.com/v1",
    envVars: ["ANTHROPIC_API_KEY"],
    docsUrl: "https://console.anthropic.com/settings/keys",
  },
  google: {
    type: "google",
    displayName: "Google AI",
    description: "Gemini models via the Gemini API",
    keyFormat: "AIza...",
    authType: "x-goog-api-key",
    defaultBaseUrl: "https://generativelanguage.googleapis.com/v1beta",
    envVars: ["GOOGLE_API_KEY", "GEMINI_API_KEY"],
    docsUrl: "https://aistudio.google.com/app/apikey",
  },
  cohere: {
    type: "cohere",
    displayName: "Cohere",
    description: "Command, Embed and Rerank models",
    keyFormat: "no fixed prefix",
    authType: "bearer",
    // No /v1 here: Cohere's paths carry their own version (/v1/check-api-key, /v2/chat).
    defaultBaseUrl: "https://api.cohere.com",
    envVars: ["COHERE_API_KEY"],
    docsUrl: "https://dashboard.cohere.com/api-keys",
  },
  groq: {
    type: "groq",
    displayName: "Groq",
    description: "Ultra-fast inference for open models",
    keyFormat: "gsk_...",
    authType: "bearer",
    defaultBaseUrl: "https://api.groq.com/openai/v1",
    envVars: ["GROQ_API_KEY"],
    docsUrl: "https://console.groq.com/keys",
  },
  together: {
    type: "together",
    displayName: "Together AI",
    description: "Open-source models (Llama, Qwen, DeepSeek, Mixtral)",
    keyFormat: "tgp_v1_...",
    authType: "bearer",
    defaultBaseUrl: "https://api.together.xyz/v1",
    envVars: ["TOGETHER_API_KEY"],
    docsUrl: "https://api.together.ai/settings/api-keys",
  },
  mistral: {
    type: "mistral",
    displayName: "Mistral AI",
    description: "Mistral Large, Medium, Small and Codestral",
    keyFormat: "no fixed prefix",
    authType: "bearer",
    defaultBaseUrl: "https://api.mistral.ai/v1",
    envVars: ["MISTRAL_API_KEY"],
    docsUrl: "https://console.mistral.ai/api-keys",
  },
  custom: {
    type: "custom",
    displayName: "Custom Endpoint",
    description: "Any OpenAI-compatible endpoint (vLLM, Ollama, LM Studio)",
    keyFormat: "any",
    authType: "bearer",
    defaultBaseUrl: null,
    envVars: [],
    docsUrl: null,
  },
};

/** Narrows an arbitrary value to a known provider type (exact, lower-case match). */
export function isProviderType(s: unknown): s is ProviderType {
  return typeof s === "string" && (PROVIDER_TYPES as readonly string[]).includes(s);
}
