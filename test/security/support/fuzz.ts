/**
 * Running generated requests: a small concurrency pool, the answer check every request must pass
 * (2xx, or a 4xx whose JSON body has string `detail` and `code`; never 3xx or 5xx; no stack traces),
 * problems grouped by kind with one exact example each, and database snapshots for "a rejected
 * request changes nothing".
 */
import fc from "fast-check";
import { expect, inject } from "vitest";
import type { ApiResponse } from "../../support/client";
import { withSql } from "../../support/db";

export const CONCURRENCY = 8;

/** `n` values of `arb` from this run's seed (offset so that each call draws different ones). */
let draws = 0;
export function sample<T>(arb: fc.Arbitrary<T>, n: number): T[] {
  return fc.sample(arb, { numRuns: n, seed: inject("fuzzSeed") + 7919 * ++draws });
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: readonly T[], fn: (item: T, i: number) => Promise<R>, limit = CONCURRENCY): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export interface Sent {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

const clip = (s: string, n = 240) => (s.length > n ? `${s.slice(0, n)}... (${s.length} chars)` : s);
const STACK = /\bat \S+ \(|node_modules|\.tsx?:\d+|\.js:\d+:\d+/;

/** Why an answer breaks the API's error conventions, or null when it does not. */
export function answerProblem(res: ApiResponse, redirectOk = false, sent?: Sent): string | null {
  if (res.status >= 500) return `server error ${res.status}`;
  if (res.status === 307 && sent?.headers && Object.keys(sent.headers).some((h) => h.toLowerCase() === "rsc")) {
    // Next 16 sends a request marked `RSC: 1` to the same URL with a cache-busting `_rsc` parameter
    const to = new URL(res.headers.get("location") ?? "", "http://x");
    return to.origin === "http://x" && to.pathname === new URL(sent.path, "http://x").pathname && to.searchParams.has("_rsc") ? null : "RSC redirect elsewhere";
  }
  if (redirectOk && res.status === 308) {
    // Next's trailing-slash redirect, to a path on this site
    return /^\/[^/\\]/.test(res.headers.get("location") ?? "") ? null : "308 to another site";
  }
  if (res.status < 200 || (res.status >= 300 && res.status < 400)) return `unexpected status ${res.status}`;
  if (STACK.test(res.text)) return "stack trace or source path in the body";
  if (res.status >= 400) {
    if (typeof res.body?.detail !== "string" || typeof res.body?.code !== "string") return `${res.status} without string detail and code`;
  }
  return null;
}

/** Problems grouped by kind; each kind keeps a count and its first exact request. */
export class Findings {
  private readonly kinds = new Map<string, { count: number; example: string }>();
  cases = 0;

  /**
   * Records one case; `expected` (optional) is a further check that returns a complaint or null.
   * Paths no route serves ("other ...") may also get Next's trailing-slash 308.
   */
  check(endpoint: string, sent: Sent, res: ApiResponse, expected?: (res: ApiResponse) => string | null): void {
    this.cases++;
    const rsc = res.status === 307;
    const problem = answerProblem(res, endpoint.startsWith("other "), sent) ?? (rsc ? null : expected?.(res) ?? null);
    if (!problem) return;
    const kind = `${endpoint}: ${problem} (got ${res.status} ${res.body?.code ?? ""})`;
    const k = this.kinds.get(kind);
    if (k) k.count++;
    else
      this.kinds.set(kind, {
        count: 1,
        example: `${sent.method} ${clip(sent.path, 160)} headers=${clip(JSON.stringify(sent.headers ?? {}), 300)} body=${clip(
          JSON.stringify(sent.body ?? null),
        )} -> ${res.status} ${clip(res.text, 200)}`,
      });
  }

  /** One line per kind: "kind x count; e.g. <request>". */
  summary(): string[] {
    return [...this.kinds].map(([kind, v]) => `${kind} x${v.count}; e.g. ${v.example}`);
  }

  assertClean(): void {
    expect(this.summary(), `problems found in ${this.cases} cases (fuzz seed ${inject("fuzzSeed")})`).toEqual([]);
  }
}

/** Expect a status in `ok`, and optionally a code. */
export const expectStatus =
  (ok: number[], code?: string | string[]) =>
  (res: ApiResponse): string | null => {
    if (!ok.includes(res.status)) return `expected ${ok.join("/")}`;
    const codes = typeof code === "string" ? [code] : code;
    if (codes && res.status >= 400 && !codes.includes(res.body?.code)) return `expected code ${codes.join("/")}`;
    return null;
  };

/** The rows a rejected request must not change: every provider key, user and session. */
export async function snapshot(): Promise<string> {
  return withSql(async (sql) => {
    const keys = await sql`select * from provider_keys order by id`;
    const users = await sql`select * from users order by id`;
    const sessions = await sql`select id, user_id, expires_at from sessions order by id`;
    return JSON.stringify({ keys, users, sessions });
  });
}
