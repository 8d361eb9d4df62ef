/**
 * Clients of the second app instance (TRUST_PROXY=1, default rate limits; see the global setup).
 * The test stands in for the proxy: it appends the client's address to X-Forwarded-For, so each
 * test picks addresses of its own and no test spends another's per-address sign-in budget.
 */
import { readFileSync } from "node:fs";
import { inject } from "vitest";
import { Client } from "../../support/client";

export const LOGIN = "/api/v1/auth/login";
/** The app's sign-in budgets (lib/rate-limit/limiter.ts): failed attempts per 15 minutes. */
export const PER_ACCOUNT = 10;
export const PER_ADDRESS = 50;
/** What this file's requests carry as User-Agent; the audit rows they leave can be found by it. */
export const userAgent = (label: string) => `llmhub-proxied/${label}`;

/** A client of the proxied instance whose requests come from `address`, as the proxy reports it. */
export function proxiedClient(label: string, address: string): Client {
  const c = new Client(inject("proxiedUrl"));
  c.defaultHeaders["user-agent"] = userAgent(label);
  c.defaultHeaders["x-forwarded-for"] = address;
  return c;
}

/** Starts `n` calls at once (no pool) and waits for all of them. */
export const burst = <T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));

export const proxiedLog = (): string => readFileSync(inject("proxiedLogPath"), "utf8");

/** How many of each status. */
export function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}
