import { describe, expect, it } from "vitest";
import { addHistogram, BUCKETS, bucketOf, emptyHistogram, LATENCY_BOUNDS_MS, percentile } from "./histogram";

const histOf = (latencies: number[]) => {
  const h = emptyHistogram();
  for (const l of latencies) h[bucketOf(l)]!++;
  return h;
};

describe("latency histogram", () => {
  it("numbers buckets as PostgreSQL's width_bucket does", () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(24.9)).toBe(0);
    expect(bucketOf(25)).toBe(1);
    expect(bucketOf(999.9)).toBe(7);
    expect(bucketOf(1000)).toBe(8);
    expect(bucketOf(10_000_000)).toBe(LATENCY_BOUNDS_MS.length);
    expect(BUCKETS).toBe(LATENCY_BOUNDS_MS.length + 1);
  });

  it("is null when empty and the maximum at p100", () => {
    expect(percentile(emptyHistogram(), 0.5, 0)).toBeNull();
    expect(percentile(histOf([120, 130, 4000]), 1, 4000)).toBe(4000);
  });

  it("interpolates inside the bucket that holds the rank", () => {
    // 100 requests spread evenly over 200..300 ms: one bucket [200, 300)
    const h = histOf(Array.from({ length: 100 }, (_, i) => 200 + i));
    expect(percentile(h, 0.5, 299)).toBeCloseTo(249.5, 0);
    expect(percentile(h, 0.95, 299)).toBeCloseTo(294, 0);
  });

  it("stays within a bucket's width of the exact percentile on skewed data", () => {
    const lat = [...Array.from({ length: 90 }, (_, i) => 80 + i), ...Array.from({ length: 10 }, (_, i) => 5000 + i * 500)];
    const exact = (q: number) => [...lat].sort((a, b) => a - b)[Math.ceil(q * lat.length) - 1]!;
    const h = histOf(lat);
    const max = Math.max(...lat);
    const p50 = percentile(h, 0.5, max)!;
    const p95 = percentile(h, 0.95, max)!;
    expect(Math.abs(p50 - exact(0.5))).toBeLessThanOrEqual(100);
    expect(p95).toBeGreaterThanOrEqual(5000);
    expect(p95).toBeLessThanOrEqual(7500);
  });

  it("never reports more than the maximum seen, even in the open last bucket", () => {
    const h = histOf([700_000, 800_000]);
    expect(percentile(h, 0.5, 800_000)).toBeLessThanOrEqual(800_000);
    expect(percentile(h, 0.5, 800_000)).toBeGreaterThanOrEqual(600_000);
  });

  it("adds histograms element by element (rollups of several hours)", () => {
    expect(addHistogram(histOf([10, 30]), histOf([30, 2000]))).toEqual(histOf([10, 30, 30, 2000]));
  });
});
