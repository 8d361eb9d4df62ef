import { BUCKETS, LATENCY_BOUNDS_MS } from "@/lib/db/schema-usage";

/** The rollups' latency buckets are defined with the column they describe (lib/db/schema-usage.ts). */
export { BUCKETS, LATENCY_BOUNDS_MS };

/** The bucket of one latency, as width_bucket numbers it. */
export function bucketOf(latencyMs: number): number {
  let i = 0;
  while (i < LATENCY_BOUNDS_MS.length && latencyMs >= LATENCY_BOUNDS_MS[i]!) i++;
  return i;
}

/** An empty histogram. */
export const emptyHistogram = (): number[] => new Array<number>(BUCKETS).fill(0);

/** Adds `b` into `a` (same length), returning `a`. */
export function addHistogram(a: number[], b: readonly number[]): number[] {
  for (let i = 0; i < a.length; i++) a[i]! += b[i] ?? 0;
  return a;
}

/**
 * The q-quantile (0 < q <= 1) of the latencies a histogram counts, interpolated linearly inside
 * its bucket. `maxMs` (the largest latency seen) closes the open last bucket and caps the estimate,
 * so p100 is the true maximum. Null for an empty histogram.
 */
export function percentile(hist: readonly number[], q: number, maxMs: number): number | null {
  const total = hist.reduce((a, n) => a + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    const n = hist[i] ?? 0;
    if (n === 0) continue;
    if (seen + n >= rank) {
      const lower = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1]!;
      const upper = Math.min(i < LATENCY_BOUNDS_MS.length ? LATENCY_BOUNDS_MS[i]! : maxMs, Math.max(maxMs, lower));
      const at = lower + ((upper - lower) * (rank - seen)) / n;
      return Math.round(Math.min(at, maxMs) * 10) / 10;
    }
    seen += n;
  }
  return maxMs;
}
