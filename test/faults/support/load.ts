/**
 * The fault suite's load client: worker loops that call the API through the shared cookie-jar
 * client and record every answer (kind, target, start and end on one monotonic clock, status,
 * error code and detail, Retry-After). The records are what the tests judge afterwards: which
 * writes were acknowledged and when, what failed during an outage, and when service came back.
 */
import { SecretLeakError, type ApiResponse, type Json } from "../../support/client";
import { pause, waitUntil } from "./services";

export interface Op {
  worker: number;
  kind: string;
  /** Provider type or custom endpoint name the call was about. */
  target?: string;
  /** performance.now() when the request was sent and when its answer was complete. */
  start: number;
  end: number;
  /** HTTP status; 0 when no answer came (connection refused or reset). */
  status: number;
  code?: string;
  detail?: string;
  retryAfter?: string | null;
  /** Saves: the preview of the key that was sent. */
  preview?: string;
  body?: Json;
}

export const ok = (op: Op) => op.status >= 200 && op.status < 300;

export class Recorder {
  readonly ops: Op[] = [];

  /** Sends one request and records its outcome; a leaked secret is re-thrown (it fails the test). */
  async call(worker: number, kind: string, send: () => Promise<ApiResponse>, extra: Partial<Op> = {}): Promise<Op> {
    const start = performance.now();
    let op: Op;
    try {
      const res = await send();
      op = {
        worker,
        kind,
        start,
        end: performance.now(),
        status: res.status,
        code: typeof res.body?.code === "string" ? res.body.code : undefined,
        detail: typeof res.body?.detail === "string" ? res.body.detail : undefined,
        retryAfter: res.headers.get("retry-after"),
        body: res.body,
        ...extra,
      };
    } catch (err) {
      if (err instanceof SecretLeakError) throw err;
      op = { worker, kind, start, end: performance.now(), status: 0, detail: (err as Error).message, ...extra };
    }
    this.ops.push(op);
    return op;
  }

  of(kind: string): Op[] {
    return this.ops.filter((o) => o.kind === kind);
  }

  /** Waits until every kind listed has at least `n` successful answers to requests sent after `since`. */
  async waitForSuccess(kinds: string[], since: number, timeoutMs: number, n = 3): Promise<number> {
    return waitUntil(
      `${n} successful answers of each of ${kinds.join(", ")}`,
      async () => kinds.every((k) => this.ops.filter((o) => o.kind === k && o.start >= since && ok(o)).length >= n),
      timeoutMs,
      50,
    );
  }

  /** "kind status[:code] xN" lines, for the report and for failure messages. */
  summary(ops: Op[] = this.ops): string {
    const counts = new Map<string, number>();
    for (const o of ops) {
      const k = `${o.kind} ${o.status}${o.code ? `:${o.code}` : ""}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return [...counts].sort().map(([k, n]) => `${k} x${n}`).join(", ");
  }
}

export interface Load {
  /** Stops the loops after their current request and rethrows the first error one of them hit. */
  stop(): Promise<void>;
}

/** Runs `workers` loops of `step(worker, seq)` until stopped, pausing `pauseMs` between iterations. */
export function startLoad(workers: number, step: (worker: number, seq: number) => Promise<unknown>, pauseMs = 25): Load {
  let stopped = false;
  const loops = Array.from({ length: workers }, async (_, w) => {
    for (let seq = 0; !stopped; seq++) {
      await step(w, seq);
      await pause(pauseMs);
    }
  });
  return {
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

/**
 * Recovery after an outage: the first successful answer to a request sent after the service was
 * confirmed down (`downAt`), measured from the moment it was confirmed back (`upAt`), never negative.
 */
export function recoveryMs(ops: Op[], downAt: number, upAt: number, kinds?: string[]): number | null {
  const firsts = ops
    .filter((o) => ok(o) && o.start >= downAt && (!kinds || kinds.includes(o.kind)))
    .map((o) => o.end)
    .sort((a, b) => a - b);
  return firsts[0] === undefined ? null : Math.max(0, firsts[0] - upAt);
}

/** GET /api/health/ready (public, not through the leak-checking client: it holds no secrets), as an ApiResponse. */
export async function fetchReady(baseUrl: string): Promise<ApiResponse> {
  const started = performance.now();
  const res = await fetch(`${baseUrl}/api/health/ready`);
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: judged by its status
  }
  return { status: res.status, headers: res.headers, body, text, ms: performance.now() - started };
}

/** Runs `tasks` with at most `concurrency` in flight. */
export async function pool<T>(tasks: (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < tasks.length; i = next++) results[i] = await tasks[i]!();
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  return results;
}

/** Percentile (0..100) of a list of numbers. */
export function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : NaN;
}
