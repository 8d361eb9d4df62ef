/**
 * The one validation request per provider (providers.md §1): the cheapest call that proves a key
 * authenticates and spends no tokens. The key only ever goes into a header, never into the URL.
 */
import type { ProviderType } from "./catalogue";

export const USER_AGENT = "llm-hub/0.1";
export const ANTHROPIC_VERSION = "2023-06-01";

export interface ValidationRequest {
  url: URL;
  method: "GET" | "POST";
  headers: Record<string, string>;
  /** Tried once if `url` answers 404 (OpenRouter's older `/auth/key`). */
  fallbackUrl?: URL;
}

/**
 * Appends `path` to the base URL's path with exactly one slash between them and replaces any
 * query. `https://x/v1` and `https://x/v1/` both give `https://x/v1/models`.
 */
export function joinUrl(base: URL, path: string, query: Record<string, string> = {}): URL {
  const url = new URL(base.href);
  const basePath = url.pathname.replace(/\/+$/, "");
  const suffix = path.replace(/^\/+/, "");
  url.pathname = suffix ? `${basePath}/${suffix}` : basePath || "/";
  url.search = new URLSearchParams(query).toString();
  url.hash = "";
  return url;
}

/** Builds the validation request for a provider. `apiKey` may be null only for custom endpoints. */
export function buildValidationRequest(type: ProviderType, base: URL, apiKey: string | null): ValidationRequest {
  const headers: Record<string, string> = { "user-agent": USER_AGENT, accept: "application/json" };
  const bearer = (): void => {
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  };
  switch (type) {
    case "openrouter":
      bearer();
      // `/models` is public on OpenRouter and proves nothing; `/key` describes the key itself.
      return { url: joinUrl(base, "key"), method: "GET", headers, fallbackUrl: joinUrl(base, "auth/key") };
    case "anthropic":
      if (apiKey) headers["x-api-key"] = apiKey;
      headers["anthropic-version"] = ANTHROPIC_VERSION;
      return { url: joinUrl(base, "models", { limit: "1000" }), method: "GET", headers };
    case "google":
      // Header only: `?key=` would put the key in logs, and `AQ.` keys need the header anyway.
      if (apiKey) headers["x-goog-api-key"] = apiKey;
      return { url: joinUrl(base, "models", { pageSize: "1000" }), method: "GET", headers };
    case "cohere": {
      bearer();
      // The default base has no version segment; tolerate a configured base that ends in /v1.
      const path = /\/v1\/?$/.test(base.pathname) ? "check-api-key" : "v1/check-api-key";
      return { url: joinUrl(base, path), method: "POST", headers };
    }
    case "custom": {
      bearer();
      // Users paste the base (`.../v1`) or sometimes the models URL itself; never double either part.
      const path = /\/models\/?$/.test(base.pathname) ? "" : "models";
      return { url: joinUrl(base, path), method: "GET", headers };
    }
    case "openai":
    case "groq":
    case "together":
    case "mistral":
      bearer();
      return { url: joinUrl(base, "models"), method: "GET", headers };
  }
}

/**
 * OpenRouter and Cohere validate with calls that list no models; after a success, this second
 * request counts them (OpenRouter's public list needs no key, so none is sent). Null for the rest.
 */
export function buildModelCountRequest(type: ProviderType, base: URL, apiKey: string | null): ValidationRequest | null {
  const headers: Record<string, string> = { "user-agent": USER_AGENT, accept: "application/json" };
  if (type === "openrouter") return { url: joinUrl(base, "models"), method: "GET", headers };
  if (type === "cohere") {
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    const path = /\/v1\/?$/.test(base.pathname) ? "models" : "v1/models";
    return { url: joinUrl(base, path, { page_size: "1000" }), method: "GET", headers };
  }
  return null;
}
