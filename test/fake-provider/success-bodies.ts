/**
 * Realistic success bodies for each provider's validation call (shapes from providers.md §3).
 * Model counts are exported so tests can assert `models_found` exactly.
 */
import type { ProviderType } from "../../lib/providers/catalogue";

/**
 * How many models each fake list holds. OpenRouter and Cohere validate with a call that lists no
 * models, so the tester counts them with a second request (OpenRouter's public `/models`, Cohere's
 * `/v1/models`); these are the sizes of those lists.
 */
export const FAKE_MODEL_COUNTS: Readonly<Record<ProviderType, number | null>> = {
  openrouter: 346,
  openai: 42,
  anthropic: 9,
  google: 50,
  cohere: 18,
  groq: 20,
  together: 30,
  mistral: 25,
  custom: 3,
};

const CREATED = 1_735_689_600;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** OpenRouter's `label` is a masked key, just as the real API sends it. */
export function maskLikeProvider(key: string): string {
  return key.length > 16 ? `${key.slice(0, 11)}...${key.slice(-3)}` : "sk-or-v1-...";
}

/** A capped OpenRouter key's credit, as a test set it (server.ts, `/__fake/credit`). */
export interface FakeCredit {
  limit: number;
  remaining: number;
  usage: number;
  reset: string | null;
}

export function successBody(type: ProviderType, key: string | null, credit?: FakeCredit): unknown {
  switch (type) {
    case "openrouter":
      return {
        data: {
          label: maskLikeProvider(key ?? ""),
          limit: credit?.limit ?? null,
          limit_reset: credit?.reset ?? null,
          limit_remaining: credit?.remaining ?? null,
          include_byok_in_limit: false,
          usage: credit?.usage ?? 0,
          usage_daily: 0,
          usage_weekly: 0,
          usage_monthly: 0,
          byok_usage: 0,
          is_free_tier: false,
          is_management_key: false,
          is_provisioning_key: false,
          expires_at: null,
          rate_limit: { requests: -1, interval: "10s", note: "This field is deprecated and safe to ignore." },
        },
      };
    case "openai":
      return {
        object: "list",
        data: range(42).map((i) => ({ id: `gpt-fake-${i}`, object: "model", created: CREATED + i, owned_by: i % 3 ? "system" : "openai" })),
      };
    case "anthropic": {
      const data = range(9).map((i) => ({
        type: "model",
        id: `claude-fake-${i}-20250101`,
        display_name: `Claude Fake ${i}`,
        created_at: "2025-01-01T00:00:00Z",
      }));
      return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
    }
    case "google":
      return {
        models: range(50).map((i) => ({
          name: `models/gemini-fake-${i}`,
          version: "001",
          displayName: `Gemini Fake ${i}`,
          inputTokenLimit: 1_048_576,
          outputTokenLimit: 8192,
          supportedGenerationMethods: i % 5 ? ["generateContent", "countTokens"] : ["embedContent"],
        })),
      };
    case "cohere":
      return { valid: true, organization_id: "0b2c6f5e-fake-org", owner_id: "7d1e9a3c-fake-owner" };
    case "groq":
      return {
        object: "list",
        data: range(20).map((i) => ({
          id: `llama-fake-${i}`,
          object: "model",
          created: CREATED,
          owned_by: "Meta",
          active: true,
          context_window: 131_072,
          public_apps: null,
        })),
      };
    case "together":
      // Together answers with a bare array, not {data: [...]}.
      return range(30).map((i) => ({
        id: `meta-llama/Fake-${i}`,
        object: "model",
        created: CREATED,
        type: i % 4 ? "chat" : "embedding",
        display_name: `Fake ${i}`,
        organization: "Meta",
        context_length: 8192,
        pricing: { hourly: 0, input: 0.2, output: 0.2, base: 0, finetune: 0 },
      }));
    case "mistral":
      return {
        object: "list",
        data: range(25).map((i) => ({
          id: `mistral-fake-${i}`,
          object: "model",
          created: CREATED,
          owned_by: "mistralai",
          capabilities: { completion_chat: true, function_calling: i % 2 === 0, vision: false },
        })),
      };
    case "custom":
      return {
        object: "list",
        data: range(3).map((i) => ({ id: `local-fake-${i}`, object: "model", created: CREATED, owned_by: "vllm", max_model_len: 32_768 })),
      };
  }
}

/** OpenRouter's public model list (`GET /api/v1/models`, no key needed). */
export function openRouterModels(): unknown {
  return { data: range(346).map((i) => ({ id: `vendor/model-fake-${i}`, name: `Fake ${i}`, context_length: 8192 })) };
}

/** Cohere's `GET /v1/models` page (authenticated). */
export function cohereModels(): unknown {
  return {
    models: range(18).map((i) => ({ name: `command-fake-${i}`, endpoints: ["chat"], finetuned: false, context_length: 128_000 })),
    next_page_token: null,
  };
}
