/**
 * THE key-testing routine: every caller (API, server actions, health checks, CLI) uses this, so a
 * key is judged the same way everywhere. It never throws for network or provider trouble; every
 * outcome is a KeyTestResult, and no field of it ever contains the key.
 */
import { probe, ProbeError, type ProbeResponse } from "../net/http-probe";
import { resolveAllowedUrl, UrlPolicyError, type LookupFn, type UrlPolicy } from "../net/url-policy";
import { PROVIDERS, type ProviderType } from "./catalogue";
import { classifyProviderResponse } from "./classify";
import { creditsOf } from "./credits";
import { MSG } from "./messages";
import { buildModelCountRequest, buildValidationRequest, type ValidationRequest } from "./requests";
import { countModels as countModelsInBody, parseJsonBody } from "./response-body";
import type { KeyTestResult } from "./types";

export const DEFAULT_TEST_TIMEOUT_MS = 10_000;

export interface TestKeyInput {
  providerType: ProviderType;
  /** Null or empty: no key (an error for built-in providers; custom endpoints may need none). */
  apiKey: string | null;
  /** The custom endpoint's base URL (user supplied, policy-checked). Ignored for built-in providers. */
  baseUrl?: string | null;
}

export interface TestKeyOptions {
  /** Configured base URL (`PROVIDER_BASE_URL_<TYPE>`) or the default; trusted, not policy-checked. */
  baseUrlFor: (t: ProviderType) => string | null;
  urlPolicy: UrlPolicy;
  /** One deadline for DNS, connect, headers and body (default 10 s). */
  timeoutMs?: number;
  now?: () => Date;
  /** DNS lookup for custom hosts; injectable for tests. */
  lookup?: LookupFn;
}

type ResultFields = Omit<KeyTestResult, "tested_at">;
const EMPTY: ResultFields = {
  success: false,
  latency_ms: null,
  models_found: null,
  error: null,
  error_code: null,
  status_code: null,
  retry_after_s: null,
};

// Node refuses header values outside these bytes; refusing first keeps its error (which names the header) away.
const UNSENDABLE = /[^\t\x20-\x7e\x80-\xff]/;

class DeadlineExceeded extends Error {}

/** Tests a provider key with one validation request (two for OpenRouter's legacy path). */
export async function testProviderKey(input: TestKeyInput, opts: TestKeyOptions): Promise<KeyTestResult> {
  const now = opts.now ?? (() => new Date());
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS;
  const deadline = performance.now() + timeoutMs;
  const done = (r: Partial<ResultFields>): KeyTestResult => ({ ...EMPTY, ...r, tested_at: now().toISOString() });
  const type = input.providerType;
  const key = input.apiKey ? input.apiKey : null;

  if (type !== "custom" && key === null) return done({ error_code: "not_configured", error: MSG.notConfigured(type) });
  if (key !== null && UNSENDABLE.test(key)) return done({ error_code: "invalid_key", error: MSG.unsendableKey });

  let base: URL;
  let address: { address: string; family: 4 | 6 } | undefined;
  if (type === "custom") {
    const raw = input.baseUrl ?? opts.baseUrlFor("custom");
    if (!raw) return done({ error_code: "bad_base_url", error: MSG.noBaseUrl });
    try {
      const allowed = await withDeadline(resolveAllowedUrl(raw, opts.urlPolicy, opts.lookup), deadline);
      base = allowed.url;
      address = { address: allowed.address, family: allowed.family };
    } catch (err) {
      if (err instanceof UrlPolicyError) return done({ error_code: "bad_base_url", error: err.reason });
      if (err instanceof DeadlineExceeded) return done({ error_code: "timeout", error: MSG.timeout(timeoutMs) });
      throw err;
    }
  } else {
    const configured = parseConfiguredUrl(opts.baseUrlFor(type) ?? PROVIDERS[type].defaultBaseUrl);
    if (!configured) return done({ error_code: "bad_base_url", error: MSG.badConfiguredBaseUrl(type) });
    base = configured;
  }

  const req = buildValidationRequest(type, base, key);
  const send = async (url: URL, r = req): Promise<{ res: ProbeResponse; latency: number }> => {
    const started = performance.now();
    const res = await probe({
      url,
      method: r.method,
      headers: r.headers,
      address,
      timeoutMs: Math.max(1, Math.round(deadline - started)),
    });
    return { res, latency: Math.round(performance.now() - started) };
  };

  try {
    let attempt = await send(req.url);
    if (attempt.res.status === 404 && req.fallbackUrl) attempt = await send(req.fallbackUrl);
    const { res, latency } = attempt;
    const verdict = classifyProviderResponse(type, res.status, res.headers, res.bodyText, now().getTime());
    if (verdict.success && verdict.models_found === null) verdict.models_found = await countModels(type, base, key, send);
    // OpenRouter's answer also says how much credit the key has left: kept with the check
    const credits = type === "openrouter" ? { credits: creditsOf(type, res.status, parseJsonBody(res.bodyText)) } : {};
    // latency is the validating call's alone: it is what the key test measures
    return done({ ...verdict, ...credits, latency_ms: latency, status_code: res.status });
  } catch (err) {
    if (!(err instanceof ProbeError)) throw err;
    if (err.kind === "timeout") return done({ error_code: "timeout", error: MSG.timeout(timeoutMs) });
    return done({ error_code: "unreachable", error: MSG.unreachable(err.message) });
  }
}

/** The optional second request that counts models; any failure of it leaves the count unknown. */
async function countModels(
  type: ProviderType,
  base: URL,
  key: string | null,
  send: (url: URL, r: ValidationRequest) => Promise<{ res: ProbeResponse }>,
): Promise<number | null> {
  const req = buildModelCountRequest(type, base, key);
  if (!req) return null;
  try {
    const { res } = await send(req.url, req);
    if (res.status < 200 || res.status >= 300 || res.truncated) return null;
    return countModelsInBody(parseJsonBody(res.bodyText));
  } catch {
    return null;
  }
}

function parseConfiguredUrl(raw: string | null): URL | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

/** Races a promise against the test's deadline, clearing the timer either way. */
async function withDeadline<T>(p: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded()), Math.max(0, deadline - performance.now()));
  });
  try {
    return await Promise.race([p, expired]);
  } finally {
    clearTimeout(timer);
  }
}
