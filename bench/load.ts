/** One autocannon measurement, with exact sub-millisecond percentiles of the 2xx responses. */
import autocannon, { type Request } from "autocannon";

export interface LoadSpec {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: Request["setupRequest"];
  /** A sequence each connection cycles through (instead of method/path/body). */
  requests?: Request[];
  /** Statuses that are not errors although they are not 2xx. */
  expected?: number[];
  /**
   * The statuses that answer the request as it should be answered (e.g. [404] for a delete of an
   * unknown id): their latencies are the percentiles, every other status is an error. Default: 2xx.
   */
  ok?: number[];
  /** Return the sorted latencies too (to pool the percentiles of several samples). */
  keepLatencies?: boolean;
}

export interface LoadResult {
  connections: number;
  seconds: number;
  requests: number;
  /** Requests written, the ones still unanswered when the time was up included. */
  sent: number;
  rps: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  /** non-2xx (except expected statuses; with `ok`: every other status) + socket errors and timeouts. */
  errors: number;
  statuses: Record<string, number>;
  bytesPerResponse: number;
  /** With `keepLatencies`: the latencies (ms) of the `ok` responses, ascending. */
  latencies?: number[];
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  const okSet = spec.ok ? new Set(spec.ok) : null;
  const isOk = (status: number) => (okSet ? okSet.has(status) : status >= 200 && status < 300);
  const statuses: Record<string, number> = {};
  let bytes = 0;
  const instance = autocannon({
    url: spec.url + (spec.path ?? ""), // autocannon takes the path from the URL, not from a `path` option
    connections: spec.connections,
    duration: spec.duration,
    timeout: 30,
    method: spec.method ?? "GET",
    headers: spec.headers,
    body: spec.body,
    ...(spec.requests ? { requests: spec.requests } : spec.setupRequest ? { requests: [{ setupRequest: spec.setupRequest }] } : {}),
  });
  instance.on("response", (_client: unknown, status: number, resBytes: number, ms: number) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (isOk(status)) latencies.push(ms);
    bytes += resBytes;
  });
  const r = await instance;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]! : NaN);
  const expected = new Set(spec.expected ?? []);
  const unexpected = Object.entries(statuses).reduce(
    (n, [s, c]) => (okSet ? (okSet.has(Number(s)) ? n : n + c) : Number(s) >= 300 && !expected.has(Number(s)) ? n + c : n),
    0,
  );
  const total = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    connections: spec.connections,
    seconds: r.duration,
    requests: total,
    sent: r.requests.sent,
    rps: total / r.duration,
    mean: latencies.reduce((a, b) => a + b, 0) / (latencies.length || 1),
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    errors: unexpected + r.errors, // autocannon counts timeouts among its errors
    statuses,
    bytesPerResponse: total ? bytes / total : 0,
    ...(spec.keepLatencies ? { latencies } : {}),
  };
}
