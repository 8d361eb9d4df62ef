import { describe, expect, it } from "vitest";
import { PROVIDERS, PROVIDER_TYPES, type ProviderType } from "@/lib/providers/catalogue";
import { compatBaseUrls } from "@/test/fake-provider/inference";
import { GatewayError } from "./errors";
import { compatUrl, forwardedQuery, nativePathSegments, nativeUrl } from "./upstream-url";

const FAKE = "http://127.0.0.1:9100";
// What PROVIDER_BASE_URL_<TYPE> holds when the app runs against the fake provider (server.ts ROUTES).
const FAKE_BASE: Record<ProviderType, string> = {
  openrouter: `${FAKE}/openrouter/api/v1`,
  openai: `${FAKE}/openai/v1`,
  anthropic: `${FAKE}/anthropic/v1`,
  google: `${FAKE}/google/v1beta`,
  cohere: `${FAKE}/cohere`,
  groq: `${FAKE}/groq/openai/v1`,
  together: `${FAKE}/together/v1`,
  mistral: `${FAKE}/mistral/v1`,
  custom: `${FAKE}/custom/v1`,
};
const defaultBase = (t: ProviderType) => PROVIDERS[t].defaultBaseUrl ?? "http://10.0.0.5:8000/v1";

describe("compatUrl", () => {
  it("each provider's documented OpenAI-compatible URLs, from the catalogue's base URLs", () => {
    const chat = Object.fromEntries(PROVIDER_TYPES.map((t) => [t, compatUrl(t, defaultBase(t), "chat").href]));
    expect(chat).toEqual({
      openrouter: "https://openrouter.ai/api/v1/chat/completions",
      openai: "https://api.openai.com/v1/chat/completions",
      anthropic: "https://api.anthropic.com/v1/chat/completions",
      google: "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions",
      cohere: "https://api.cohere.com/compatibility/v1/chat/completions",
      groq: "https://api.groq.com/openai/v1/chat/completions",
      together: "https://api.together.xyz/v1/chat/completions",
      mistral: "https://api.mistral.ai/v1/chat/completions",
      custom: "http://10.0.0.5:8000/v1/chat/completions",
    });
    expect(compatUrl("google", defaultBase("google"), "embeddings").href).toBe("https://generativelanguage.googleapis.com/v1beta/openai/embeddings");
    expect(compatUrl("openai", defaultBase("openai"), "models").href).toBe("https://api.openai.com/v1/models");
  });

  it("agrees with the fake provider's compatible APIs under PROVIDER_BASE_URL overrides", () => {
    const fakeCompat = compatBaseUrls(FAKE);
    for (const t of PROVIDER_TYPES) {
      expect(compatUrl(t, FAKE_BASE[t], "chat").href).toBe(`${fakeCompat[t]}/chat/completions`);
      expect(compatUrl(t, FAKE_BASE[t], "embeddings").href).toBe(`${fakeCompat[t]}/embeddings`);
    }
  });

  it("tolerates trailing slashes, a versioned Cohere base and a custom base pasted as its models URL", () => {
    expect(compatUrl("openai", "https://api.openai.com/v1/", "chat").href).toBe("https://api.openai.com/v1/chat/completions");
    expect(compatUrl("cohere", "https://api.cohere.com/v1", "chat").href).toBe("https://api.cohere.com/compatibility/v1/chat/completions");
    expect(compatUrl("custom", "http://lab:8000/v1/models", "chat").href).toBe("http://lab:8000/v1/chat/completions");
    expect(compatUrl("custom", "http://lab:8000", "embeddings").href).toBe("http://lab:8000/embeddings");
  });
});

describe("nativeUrl: each official SDK with only its base URL changed", () => {
  it("Anthropic SDK calls {base}/v1/messages", () => {
    expect(nativeUrl("anthropic", defaultBase("anthropic"), "/v1/messages").href).toBe("https://api.anthropic.com/v1/messages");
    expect(nativeUrl("anthropic", FAKE_BASE.anthropic, "/v1/messages").href).toBe(`${FAKE}/anthropic/v1/messages`);
    expect(nativeUrl("anthropic", FAKE_BASE.anthropic, "/v1/models", "?limit=20").href).toBe(`${FAKE}/anthropic/v1/models?limit=20`);
  });

  it("OpenAI SDK calls {base}/chat/completions (and a /v1 base works too)", () => {
    expect(nativeUrl("openai", defaultBase("openai"), "/chat/completions").href).toBe("https://api.openai.com/v1/chat/completions");
    expect(nativeUrl("openai", defaultBase("openai"), "/v1/chat/completions").href).toBe("https://api.openai.com/v1/chat/completions");
    expect(nativeUrl("openai", FAKE_BASE.openai, "/embeddings").href).toBe(`${FAKE}/openai/v1/embeddings`);
    expect(nativeUrl("together", FAKE_BASE.together, "/chat/completions").href).toBe(`${FAKE}/together/v1/chat/completions`);
    expect(nativeUrl("custom", FAKE_BASE.custom, "/chat/completions").href).toBe(`${FAKE}/custom/v1/chat/completions`);
  });

  it("Mistral's SDK (/v1/…), Groq's (/openai/v1/…) and the OpenAI SDK on both", () => {
    expect(nativeUrl("mistral", defaultBase("mistral"), "/v1/chat/completions").href).toBe("https://api.mistral.ai/v1/chat/completions");
    expect(nativeUrl("mistral", defaultBase("mistral"), "/chat/completions").href).toBe("https://api.mistral.ai/v1/chat/completions");
    expect(nativeUrl("groq", defaultBase("groq"), "/openai/v1/chat/completions").href).toBe("https://api.groq.com/openai/v1/chat/completions");
    expect(nativeUrl("groq", FAKE_BASE.groq, "/openai/v1/chat/completions").href).toBe(`${FAKE}/groq/openai/v1/chat/completions`);
    expect(nativeUrl("groq", FAKE_BASE.groq, "/chat/completions").href).toBe(`${FAKE}/groq/openai/v1/chat/completions`);
    expect(nativeUrl("openrouter", defaultBase("openrouter"), "/chat/completions").href).toBe("https://openrouter.ai/api/v1/chat/completions");
    expect(nativeUrl("openrouter", defaultBase("openrouter"), "/api/v1/models").href).toBe("https://openrouter.ai/api/v1/models");
  });

  it("Google's SDK calls {base}/v1beta/models/…:generateContent; another version replaces the base's", () => {
    expect(nativeUrl("google", defaultBase("google"), "/v1beta/models/gemini-2.0-flash:generateContent").href).toBe(
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent",
    );
    expect(nativeUrl("google", FAKE_BASE.google, "/v1beta/models/gemini-fake:streamGenerateContent", "?alt=sse").href).toBe(
      `${FAKE}/google/v1beta/models/gemini-fake:streamGenerateContent?alt=sse`,
    );
    expect(nativeUrl("google", defaultBase("google"), "/v1/models").href).toBe("https://generativelanguage.googleapis.com/v1/models");
    expect(nativeUrl("google", defaultBase("google"), "/upload/v1beta/files").href).toBe("https://generativelanguage.googleapis.com/upload/v1beta/files");
    expect(nativeUrl("google", defaultBase("google"), "/v1beta/openai/chat/completions").href).toBe(
      "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions",
    );
  });

  it("Cohere's SDK calls {base}/v2/chat; the compatibility API is reachable too", () => {
    expect(nativeUrl("cohere", defaultBase("cohere"), "/v2/chat").href).toBe("https://api.cohere.com/v2/chat");
    expect(nativeUrl("cohere", "https://api.cohere.com/v1", "/v2/chat").href).toBe("https://api.cohere.com/v2/chat");
    expect(nativeUrl("cohere", FAKE_BASE.cohere, "/compatibility/v1/chat/completions").href).toBe(`${FAKE}/cohere/compatibility/v1/chat/completions`);
  });

  it("keeps %-escapes and a trailing slash, drops every key= from the query", () => {
    expect(nativeUrl("google", FAKE_BASE.google, "/v1beta/models/a%20b:generateContent", "?key=AIzaSECRET&alt=sse&KEY=x&k%65y=y").href).toBe(
      `${FAKE}/google/v1beta/models/a%20b:generateContent?alt=sse`,
    );
    expect(nativeUrl("openai", FAKE_BASE.openai, "/files/").pathname).toBe("/openai/v1/files/");
  });

  it("refuses paths that would leave the base or confuse parsers", () => {
    for (const bad of ["/../admin", "/v1/%2e%2e/admin", "/v1/%2E./x", "/./x", "/a//b", "/a\\b", "/..%2F..%2Fadmin", "/x%5C..", "/a b", "/%zz", "x", "/"]) {
      expect(() => nativeUrl("custom", "http://lab:8000/llm/v1", bad), bad).toThrow(GatewayError);
    }
    expect(() => nativePathSegments("/v1/%2e%2e")).toThrow(/'\.\.'/);
    expect(nativePathSegments("/tunedModels/a%2Fb:generateContent")).toEqual(["tunedModels", "a%2Fb:generateContent"]);
  });

  it("stays on the base's origin whatever the path", () => {
    for (const p of ["/@evil.example/x", "/:80/x", "/http:%2F%2Fevil/x", "/v1/../../x".replace(/\.\./g, "dots")]) {
      expect(nativeUrl("custom", "http://lab:8000/v1", p).origin).toBe("http://lab:8000");
    }
  });
});

describe("forwardedQuery", () => {
  it("removes key= in any spelling, keeps the rest byte for byte", () => {
    expect(forwardedQuery("")).toBe("");
    expect(forwardedQuery("?key=abc")).toBe("");
    expect(forwardedQuery("?alt=sse&key=abc&pageSize=10")).toBe("?alt=sse&pageSize=10");
    expect(forwardedQuery("?q=a%20b+c&x")).toBe("?q=a%20b+c&x");
    expect(forwardedQuery("?%6Bey=abc&+key=x&keys=1")).toBe("?keys=1");
  });
});
