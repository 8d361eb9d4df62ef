import "server-only";
import { getHubKeyByHash, HUB_KEY_CHANNEL } from "@/lib/db/queries/hub-keys";
import type { HubKey } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { errorFields, log } from "@/lib/log";
import { VersionedCache } from "@/lib/config-version/cache";

/**
 * The per-process cache of hub keys by hash, which spares the gateway a query per request. A hit is
 * served only under the shared configuration token (lib/config-version) it was stored with, and
 * every change of a hub key replaces that token before its answer is sent: a revoked, disabled,
 * rotated or deleted key fails on every instance's next request. Expiry needs nothing: the caller
 * compares `expires_at` with the clock on every request.
 *
 * PostgreSQL's NOTIFY (every change sends one on HUB_KEY_CHANNEL in its own transaction) empties the
 * cache too, so a change made where Redis could not be reached still arrives; while that listener is
 * disconnected the cache is off and every request reads the database.
 */
const ENTRY_TTL_MS = 5 * 60_000;
const RECONNECT_MS = [100, 250, 500, 1000, 2000, 5000];

interface ListenClient {
  unsafe(q: string): Promise<unknown>;
  end(o?: { timeout?: number }): Promise<void>;
}

interface State {
  live: boolean;
  /** Bumped by every notification: a row read before one is not stored. */
  generation: number;
  entries: VersionedCache<HubKey | null>;
  client: ListenClient | null;
  starting: boolean;
  attempts: number;
  stopped: boolean;
}

const g = globalThis as unknown as { __llmhubHubKeyCache?: State };
const state = (): State =>
  (g.__llmhubHubKeyCache ??= { live: false, generation: 0, entries: new VersionedCache(10_000, ENTRY_TTL_MS), client: null, starting: false, attempts: 0, stopped: false });

function dropAll(s: State): void {
  s.generation++;
  s.entries.clear();
}

/**
 * The row for a key hash (deleted ones included): from the cache when this process listens and the
 * row was stored under `version` (the token the caller read before), else from the database.
 */
export async function lookupHubKey(hash: string, version: string | null): Promise<HubKey | null> {
  const s = state();
  if (!s.live && !s.starting && !s.stopped) startHubKeyListener();
  const usable = s.live ? version : null;
  const hit = s.entries.get(hash, usable);
  if (hit !== undefined) return hit;
  const generation = s.generation;
  const row = (await getHubKeyByHash(hash)) ?? null;
  if (s.generation === generation) s.entries.set(hash, usable, row);
  return row;
}

/** After a change committed: this process's cache is emptied (the caller announces it to the others). */
export function hubKeyChanged(): void {
  dropAll(state());
}

function onNotify(): void {
  dropAll(state());
}

function onClose(): void {
  const s = state();
  if (s.live) log.warn("Hub key change listener disconnected; hub keys are read from the database until it is back");
  s.live = false;
  dropAll(s);
  if (!s.stopped && !s.starting) scheduleConnect(s);
}

function scheduleConnect(s: State): void {
  s.starting = true;
  const delay = RECONNECT_MS[Math.min(s.attempts, RECONNECT_MS.length - 1)]!;
  setTimeout(() => void connect(s), s.attempts === 0 ? 0 : delay).unref?.();
}

async function connect(s: State): Promise<void> {
  try {
    const url = getEnv().DATABASE_URL;
    if (!url) {
      // embedded PGlite: one process, whose own changes empty its cache
      s.live = true;
      s.starting = false;
      return;
    }
    if (!s.client) {
      const { default: postgres } = await import("postgres");
      s.client = postgres(url, {
        max: 1,
        idle_timeout: 0,
        max_lifetime: 0,
        connect_timeout: 5,
        fetch_types: false,
        onnotice: () => {},
        onnotify: (channel: string) => {
          if (channel === HUB_KEY_CHANNEL) onNotify();
        },
        onclose: () => onClose(),
      } as never) as unknown as ListenClient;
    }
    await s.client.unsafe(`listen "${HUB_KEY_CHANNEL}"`);
    if (s.stopped) return;
    dropAll(s); // anything may have changed while nobody listened
    s.live = true;
    s.attempts = 0;
    s.starting = false;
  } catch (err) {
    s.live = false;
    s.starting = false;
    if (s.attempts === 0) log.warn("Hub key change listener could not connect; retrying", errorFields(err));
    s.attempts++;
    if (!s.stopped) scheduleConnect(s);
  }
}

/** Starts listening for hub key changes (idempotent); the cache is used once it listens. */
export function startHubKeyListener(): void {
  const s = state();
  if (s.live || s.starting) return;
  s.stopped = false;
  scheduleConnect(s);
}

/** Stops listening (shutdown, tests). */
export async function stopHubKeyListener(): Promise<void> {
  const s = state();
  s.stopped = true;
  s.live = false;
  dropAll(s);
  const client = s.client;
  s.client = null;
  await client?.end({ timeout: 1 }).catch(() => {});
}

/** Whether the cache is in use (for the readiness report and tests). */
export const hubKeyCacheLive = (): boolean => state().live;
