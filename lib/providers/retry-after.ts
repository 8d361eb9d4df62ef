/** Longest wait we report; anything above is a misconfigured header, not advice. */
const MAX_RETRY_AFTER_S = 86_400;

/**
 * Reads how long the provider asks us to wait, in whole seconds (rounded up): `retry-after-ms`
 * first (Stainless SDKs, Azure), then `retry-after` as seconds or an HTTP date. Null if absent
 * or unreadable. Header names must be lower-case.
 */
export function parseRetryAfter(
  headers: Record<string, string | undefined>,
  nowMs: number = Date.now(),
): number | null {
  const ms = headers["retry-after-ms"]?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return clamp(Math.ceil(Number(ms) / 1000));

  const ra = headers["retry-after"]?.trim();
  if (!ra) return null;
  if (/^\d+(\.\d+)?$/.test(ra)) return clamp(Math.ceil(Number(ra)));
  // Only accept something that looks like an HTTP date, so junk such as "soon" is not parsed loosely.
  if (!/[A-Za-z]{3},? /.test(ra)) return null;
  const at = Date.parse(ra);
  if (Number.isNaN(at)) return null;
  return clamp(Math.ceil((at - nowMs) / 1000));
}

function clamp(s: number): number {
  return Math.min(Math.max(s, 0), MAX_RETRY_AFTER_S);
}
