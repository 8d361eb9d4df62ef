import { describe, expect, it } from "vitest";
import { clientResponseHeaders, upstreamRequestHeaders } from "./headers";
import { Redactor } from "./redact";

const HUB_KEY = "llmhub_0123456789abcdefghijABCDEFGHIJ0123456789";
const client = new Headers({
  authorization: `Bearer ${HUB_KEY}`,
  "x-api-key": HUB_KEY,
  "x-goog-api-key": HUB_KEY,
  "api-key": HUB_KEY,
  cookie: "llmhub_session=abc",
  host: "hub.example.com",
  connection: "keep-alive, x-private-hop",
  "x-private-hop": "1",
  "keep-alive": "timeout=5",
  te: "trailers",
  "transfer-encoding": "chunked",
  upgrade: "h2c",
  "proxy-authorization": "Basic eA==",
  "content-length": "999",
  expect: "100-continue",
  "accept-encoding": "gzip, br",
  "x-forwarded-for": "10.0.0.1",
  "x-forwarded-proto": "https",
  forwarded: "for=10.0.0.1",
  "x-real-ip": "10.0.0.1",
  origin: "https://app.example.com",
  referer: "https://app.example.com/page",
  "x-llmhub-request-id": "spoofed",
  "x-middleware-subrequest": "1",
  "content-type": "text/plain",
  "user-agent": "OpenAI/JS 6.49.0",
  "x-stainless-retry-count": "0",
  "anthropic-beta": "prompt-caching-2024-07-31",
  accept: "application/json",
});

const up = (type: Parameters<typeof upstreamRequestHeaders>[1]["providerType"], url: string, extra: Partial<Parameters<typeof upstreamRequestHeaders>[1]> = {}) =>
  upstreamRequestHeaders(client, { providerType: type, apiKey: "PROVIDER-KEY-0123456789", upstreamUrl: new URL(url), bodyLength: 42, ...extra });

describe("upstream request headers", () => {
  it("keep what describes the request, drop credentials, hops, the client's connection and the hub's own", () => {
    const h = up("openai", "https://api.openai.com/v1/chat/completions");
    expect(h).toEqual({
      authorization: "Bearer PROVIDER-KEY-0123456789",
      "content-type": "text/plain",
      "content-length": "42",
      "accept-encoding": "identity",
      "user-agent": "OpenAI/JS 6.49.0",
      "x-stainless-retry-count": "0",
      "anthropic-beta": "prompt-caching-2024-07-31",
      accept: "application/json",
    });
    expect(JSON.stringify(h)).not.toContain(HUB_KEY);
  });

  it("a plain `Connection: keep-alive` or `close` drops no other header; a listed one still goes", () => {
    for (const connection of ["keep-alive", "Keep-Alive", " close ", "keep-alive, x-private-hop", "X-Private-Hop"]) {
      const h = new Headers({ connection, "x-private-hop": "1", "keep-alive": "timeout=5", "x-custom": "kept" });
      const out = upstreamRequestHeaders(h, { providerType: "openai", apiKey: "PROVIDER-KEY-0123456789", upstreamUrl: new URL("https://api.openai.com/v1/chat/completions"), bodyLength: null });
      expect(out["x-custom"], connection).toBe("kept");
      expect(out.connection, connection).toBeUndefined();
      expect(out["keep-alive"], connection).toBeUndefined();
      expect(out["x-private-hop"], connection).toBe(/x-private-hop/i.test(connection) ? undefined : "1");
    }
  });

  it("sets the body's type when the hub wrote the body, and no length without a body", () => {
    const h = up("groq", "https://api.groq.com/openai/v1/chat/completions", { contentType: "application/json", bodyLength: null });
    expect(h["content-type"]).toBe("application/json");
    expect(h["content-length"]).toBeUndefined();
  });

  it("each provider's own credential header", () => {
    expect(up("anthropic", "https://api.anthropic.com/v1/messages")).toMatchObject({ "x-api-key": "PROVIDER-KEY-0123456789", "anthropic-version": "2023-06-01" });
    expect(up("anthropic", "https://api.anthropic.com/v1/messages").authorization).toBeUndefined();
    const google = up("google", "https://generativelanguage.googleapis.com/v1beta/models/g:generateContent");
    expect(google["x-goog-api-key"]).toBe("PROVIDER-KEY-0123456789");
    expect(google.authorization).toBeUndefined();
    expect(up("google", "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions").authorization).toBe("Bearer PROVIDER-KEY-0123456789");
    for (const t of ["openrouter", "cohere", "together", "mistral", "custom"] as const) expect(up(t, "https://x.example/v1/chat/completions").authorization).toBe("Bearer PROVIDER-KEY-0123456789");
  });

  it("keeps the client's anthropic-version; a keyless custom endpoint gets no credential at all", () => {
    const withVersion = upstreamRequestHeaders(new Headers({ "anthropic-version": "2026-10-21", "x-api-key": HUB_KEY }), {
      providerType: "anthropic",
      apiKey: "k-0123456789",
      upstreamUrl: new URL("https://api.anthropic.com/v1/messages"),
      bodyLength: 2,
    });
    expect(withVersion["anthropic-version"]).toBe("2026-10-21");
    expect(withVersion["x-api-key"]).toBe("k-0123456789");
    const keyless = up("custom", "http://lab:8000/v1/chat/completions", { apiKey: null });
    expect(keyless.authorization).toBeUndefined();
  });
});

describe("response headers back to the client", () => {
  const KEY = "sk-proj-echoed-0123456789";
  it("pass the ones that matter, drop hops, cookies, length, encoding, redirects and browser policies, redact the key", () => {
    const h = clientResponseHeaders(
      {
        "content-type": "application/json",
        "retry-after": "7",
        "x-ratelimit-remaining-requests": "0",
        "anthropic-ratelimit-requests-reset": "2026-01-01T00:00:00Z",
        "x-request-id": KEY,
        "request-id": `req_${KEY}_x`,
        "openai-processing-ms": "12",
        "set-cookie": ["__cf_bm=abc; path=/", "other=1"],
        "content-length": "120",
        "content-encoding": "gzip",
        "transfer-encoding": "chunked",
        connection: "keep-alive, x-hop",
        "x-hop": "1",
        "keep-alive": "timeout=5",
        location: "https://api.openai.com/elsewhere",
        "alt-svc": 'h3=":443"',
        "strict-transport-security": "max-age=31536000",
        "content-security-policy": "default-src 'none'",
        nel: "{}",
        "report-to": "{}",
        "cf-ray": "8a1b2c3d4e5f-AMS",
      },
      new Redactor(KEY),
    );
    expect(Object.fromEntries(h)).toEqual({
      "content-type": "application/json",
      "retry-after": "7",
      "x-ratelimit-remaining-requests": "0",
      "anthropic-ratelimit-requests-reset": "2026-01-01T00:00:00Z",
      "x-request-id": "[redacted]",
      "request-id": "req_[redacted]_x",
      "openai-processing-ms": "12",
      "cf-ray": "8a1b2c3d4e5f-AMS",
    });
  });

  it("hold what a Web Headers built from them would: values trimmed, a name's values combined, unsendable values dropped", () => {
    const upstream = {
      "x-padded": " \tpadded\t ",
      "x-nul": "a\u0000b",
      "x-cr": "a\rb",
      "x-many": ["one", "two"],
      "x-key": "Bearer sk-proj-echoed-0123456789",
    };
    const h = clientResponseHeaders(upstream, new Redactor(KEY));
    const web = new Headers();
    for (const [name, value] of Object.entries(upstream)) {
      for (const v of Array.isArray(value) ? value : [value]) {
        try {
          web.append(name, v.split(KEY).join("[redacted]"));
        } catch {
          // what Headers refuses
        }
      }
    }
    expect(Object.fromEntries(h)).toEqual(Object.fromEntries(web));
    expect(Object.fromEntries(h)).toEqual({ "x-padded": "padded", "x-many": "one, two", "x-key": "Bearer [redacted]" });
  });
});
