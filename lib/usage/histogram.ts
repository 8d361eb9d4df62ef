/**
 * The fixed latency buckets of the hourly rollups. Bucket i counts requests with
 * BOUNDS[i-1] <= latency < BOUNDS[i] (bucket 0: below BOUNDS[0]; the last: BOUNDS.at(-1) and up),
 * which is what PostgreSQL's `width_bucket(latency, BOUNDS)` numbers them. The bounds never change
 * once rows exist: summing stored arrays only makes sense if they all mean the same buckets.
 * Roughly logarithmic from 25 ms to 10 min: gateway requests range from a cached embedding to a
 * long streamed answer, and a percentile is then within about a third of its true value.
 */
export const LATENCY_BOUNDS_MS = [
  25, 50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10_000, 15_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000,
] as const;

export const BUCKETS = LATENCY_BOUNDS_MS.length + 1;

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
