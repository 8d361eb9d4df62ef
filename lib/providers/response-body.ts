/**
 * Defensive readers for provider response bodies. Bodies may be HTML from a proxy, empty,
 * truncated at the size cap, or any JSON shape at all; nothing here throws. The values read are
 * used only to pick a fixed message, never shown.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** Cap on what we try to parse; the probe already caps bodies at a few MiB. */
const MAX_PARSE_CHARS = 4 * 1024 * 1024;

/** Parses a body as JSON, or returns undefined for anything that is not complete JSON. */
export function parseJsonBody(bodyText: string): Json | undefined {
  const text = bodyText.trim();
  if (text.length === 0 || text.length > MAX_PARSE_CHARS) return undefined;
  const first = text[0];
  if (first !== "{" && first !== "[") return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function getObject(v: Json | undefined, key: string): JsonObject | undefined {
  if (!isObject(v)) return undefined;
  const child = v[key];
  return isObject(child) ? child : undefined;
}

export function getString(v: Json | undefined, key: string): string | undefined {
  if (!isObject(v)) return undefined;
  const child = v[key];
  return typeof child === "string" ? child : undefined;
}

/** Counts models in `data[]`, `models[]` or a bare array; null when the body has no list. */
export function countModels(body: Json | undefined): number | null {
  if (Array.isArray(body)) return body.length;
  if (!isObject(body)) return null;
  const list = Array.isArray(body.data) ? body.data : Array.isArray(body.models) ? body.models : null;
  return list ? list.length : null;
}

/**
 * The provider's error text, for matching only. Tries the shapes seen in the wild, in the order
 * providers.md §2.4 gives: `error.message`, `error` as a string, `message`, `detail`.
 */
export function errorText(body: Json | undefined): string {
  const err = getObject(body, "error");
  const candidates = [
    getString(err, "message"),
    getString(body, "error"),
    getString(body, "message"),
    getString(body, "detail"),
  ];
  return candidates.find((c) => c !== undefined) ?? "";
}

/** Machine-readable error identifiers: `error.code`, `error.type`, `error.status`, top-level `type`. */
export function errorIds(body: Json | undefined): string[] {
  const err = getObject(body, "error");
  const ids: string[] = [];
  for (const v of [err?.code, err?.type, err?.status, isObject(body) ? body.code : undefined]) {
    if (typeof v === "string") ids.push(v);
  }
  return ids;
}

/** Google's `error.details[]` entries (google.rpc.* messages). */
export function googleDetails(body: Json | undefined): JsonObject[] {
  const details = getObject(body, "error")?.details;
  return Array.isArray(details) ? details.filter(isObject) : [];
}

/** Google `ErrorInfo.reason` values, e.g. API_KEY_INVALID, SERVICE_DISABLED. */
export function googleReasons(body: Json | undefined): string[] {
  return googleDetails(body)
    .map((d) => d.reason)
    .filter((r): r is string => typeof r === "string");
}

/** True when a Google `QuotaFailure` names a per-day quota, which will not clear soon. */
export function googleHasDailyQuota(body: Json | undefined): boolean {
  for (const d of googleDetails(body)) {
    const violations = Array.isArray(d.violations) ? d.violations.filter(isObject) : [];
    for (const v of violations) {
      const ids = [v.quotaId, v.quotaMetric, v.subject].filter((x): x is string => typeof x === "string");
      if (ids.some((id) => /per_?day/i.test(id))) return true;
    }
  }
  return false;
}

/** Google `RetryInfo.retryDelay` ("7s", "1.5s") in whole seconds, rounded up. */
export function googleRetryDelay(body: Json | undefined): number | null {
  for (const d of googleDetails(body)) {
    const delay = d.retryDelay;
    if (typeof delay === "string") {
      const m = /^(\d+(?:\.\d+)?)s$/.exec(delay.trim());
      if (m?.[1]) return Math.ceil(Number(m[1]));
    }
  }
  return null;
}
