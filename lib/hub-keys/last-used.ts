import "server-only";
import { touchHubKeysLastUsed } from "@/lib/db/queries/hub-keys";

/**
 * `last_used_at`, written off the request path and at most once a minute per key: uses are noted
 * in memory and written by one statement a second later for every key due. A failed write is
 * forgotten (the next use after a minute tries again); it never delays or fails a request.
 */
const INTERVAL_MS = 60_000;
const FLUSH_DELAY_MS = 1000;

const g = globalThis as unknown as { __llmhubLastUsed?: { written: Map<string, number>; due: Set<string>; timer: NodeJS.Timeout | null } };
const state = () => (g.__llmhubLastUsed ??= { written: new Map(), due: new Set(), timer: null });

export function noteHubKeyUse(id: string, now = Date.now()): void {
  const s = state();
  if (now - (s.written.get(id) ?? 0) < INTERVAL_MS) return;
  s.written.set(id, now);
  s.due.add(id);
  if (s.written.size > 50_000) for (const [k, t] of s.written) if (now - t >= INTERVAL_MS) s.written.delete(k);
  s.timer ??= setTimeout(flush, FLUSH_DELAY_MS);
  s.timer.unref?.();
}

function flush(): void {
  const s = state();
  s.timer = null;
  const ids = [...s.due];
  s.due.clear();
  touchHubKeysLastUsed(ids).catch(() => {
    for (const id of ids) s.written.delete(id);
  });
}
