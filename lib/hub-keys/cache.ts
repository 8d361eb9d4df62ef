import "server-only";
import { getHubKeyByHash, HUB_KEY_CHANNEL } from "@/lib/db/queries/hub-keys";
import type { HubKey } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { errorFields, log } from "@/lib/log";

/**
 * The per-process cache of hub keys by hash, which spares the gateway a query per request. It is
 * only used while this process listens for changes (PostgreSQL LISTEN on HUB_KEY_CHANNEL, which
 * every change NOTIFYs in its own transaction): every notification empties it, and while the
 * listener is disconnected it is off entirely and each request reads the database, so a revoked,
 * disabled or deleted key fails on every instance as soon as the change commits. Expiry needs no
 * notification: the caller compares `expires_at` with the clock on every request.
 *
 * A lookup that raced a change is not cached: each notification bumps a generation, and a row
 * read before it is dropped rather than stored. With embedded PGlite there is one process, which
 * empties its own cache on every change.
 */
const MAX_ENTRIES = 10_000;
const CACHE_SERVES_HITS = false;
/** A bound on a cached row's age, should a notification ever be missed without a disconnect. */
const ENTRY_TTL_MS = 5 * 60_000;
const RECONNECT_MS = [100, 250, 500, 1000, 2000, 5000];
const ECHO_WAIT_MS = 2000;

interface Entry {
  row: HubKey | null;
  at: number;
}

interface ListenClient {
  unsafe(q: string): Promise<unknown>;
  end(o?: { timeout?: number }): Promise<void>;
}

interface State {
  live: boolean;
  generation: number;
  entries: Map<string, Entry>;
  client: ListenClient | null;
  starting: boolean;
  attempts: number;
  stopped: boolean;
  echoes: Map<string, (() => void)[]>;
  /** Counts notifications; `heard` keeps the count at which each id was last heard (bounded). */
  notified: number;
  heard: Map<string, number>;
}

const g = globalThis as unknown as { __llmhubHubKeyCache?: State };
const state = (): State =>
  (g.__llmhubHubKeyCache ??= { live: false, generation: 0, entries: new Map(), client: null, starting: false, attempts: 0, stopped: false, echoes: new Map(), notified: 0, heard: new Map() });

function dropAll(s: State): void {
  s.generation++;
  s.entries.clear();
}

/** The row for a key hash (deleted ones included), from the cache when it is live, else the database. */
export async function lookupHubKey(hash: string): Promise<HubKey | null> {
  const s = state();
  if (!s.live && !s.starting && !s.stopped) startHubKeyListener();
  // Cached rows are not served (CACHE_SERVES_HITS): a NOTIFY reaches each instance on its own
  // schedule, so under load a second instance could still act on a row changed a moment ago. Until
  // a hit can be checked against a shared version (one Redis GET), every request reads the row.
  if (s.live && CACHE_SERVES_HITS) {
    const hit = s.entries.get(hash);
    if (hit && Date.now() - hit.at < ENTRY_TTL_MS) return hit.row;
  }
  const generation = s.generation;
  const row = (await getHubKeyByHash(hash)) ?? null;
  if (s.live && s.generation === generation) {
    if (s.entries.size >= MAX_ENTRIES) s.entries.clear();
    s.entries.set(hash, { row, at: Date.now() });
  }
  return row;
}

/** Taken before a change is written: hubKeyChanged then knows whether its notification already came. */
export const hubKeyChangeMark = (): number => state().notified;

/**
 * After a change committed: this process's cache is emptied, and when it listens, the call waits
 * (briefly) for its own notification, so that by the time the admin sees the answer PostgreSQL has
 * handed the change to every listening instance. (The notification can arrive before the commit's
 * own answer does, hence the mark.)
 */
export async function hubKeyChanged(id: string, mark: number): Promise<void> {
  const s = state();
  dropAll(s);
  if (!s.live || !s.client || (s.heard.get(id) ?? -1) > mark) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, ECHO_WAIT_MS);
    timer.unref?.();
    function done() {
      clearTimeout(timer);
      const list = s.echoes.get(id)?.filter((f) => f !== done);
      if (list?.length) s.echoes.set(id, list);
      else s.echoes.delete(id);
      resolve();
    }
    s.echoes.set(id, [...(s.echoes.get(id) ?? []), done]);
  });
}

function onNotify(payload: string): void {
  const s = state();
  dropAll(s);
  s.heard.delete(payload);
  s.heard.set(payload, ++s.notified);
  if (s.heard.size > 1000) s.heard.delete(s.heard.keys().next().value!);
  const waiting = s.echoes.get(payload);
  if (waiting) for (const f of [...waiting]) f();
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
        onnotify: (channel: string, payload: string) => {
          if (channel === HUB_KEY_CHANNEL) onNotify(payload);
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
