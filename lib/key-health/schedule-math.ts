import type { KeyTestResult } from "@/lib/providers/types";
import { healthOf } from "@/lib/providers/health-status";

/** Scheduled checks land within ±10% of the interval, so keys saved together spread out over time. */
export const JITTER = 0.1;
/** Backoff doubles the interval per consecutive degraded check, up to 2^6 intervals and one day. */
export const MAX_BACKOFF_LEVEL = 6;
export const MAX_DELAY_MS = 24 * 3600 * 1000;

export function jittered(intervalMs: number, random: () => number): number {
  return Math.round(intervalMs * (1 - JITTER + 2 * JITTER * random()));
}

/** The range jittered() draws from, for a query that draws in SQL (the first check of new keys). */
export function jitterRange(intervalMs: number): { minMs: number; maxMs: number } {
  return { minMs: jittered(intervalMs, () => 0), maxMs: jittered(intervalMs, () => 1) };
}

/**
 * How often the background checker wakes up: a tenth of the interval, between 1 and 30 seconds. A key
 * made due ("check all now") is picked up within one tick.
 */
export function tickMsFor(intervalMs: number): number {
  return Math.min(30_000, Math.max(1000, Math.floor(intervalMs / 10)));
}

/**
 * When to check a key next after a scheduled check. A provider that rate limits or is down makes
 * the key `degraded`: checking it as often would only add load, so the delay doubles per
 * consecutive degraded check (and is never shorter than the provider's Retry-After). Any other
 * outcome resets the backoff.
 */
export function nextCheck(
  result: Pick<KeyTestResult, "success" | "error_code" | "retry_after_s">,
  backoffLevel: number,
  intervalMs: number,
  random: () => number,
): { delayMs: number; backoffLevel: number } {
  if (healthOf(result) !== "degraded") return { delayMs: jittered(intervalMs, random), backoffLevel: 0 };
  const level = Math.min(backoffLevel + 1, MAX_BACKOFF_LEVEL);
  const backedOff = Math.min(jittered(intervalMs, random) * 2 ** level, MAX_DELAY_MS);
  const retryAfterMs = (result.retry_after_s ?? 0) * 1000;
  return { delayMs: Math.max(backedOff, Math.min(retryAfterMs, MAX_DELAY_MS)), backoffLevel: level };
}
