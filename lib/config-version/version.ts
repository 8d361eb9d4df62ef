import "server-only";
import { randomBytes } from "node:crypto";
import type Redis from "ioredis";
import { getEnv } from "@/lib/env";
import { errorFields, log } from "@/lib/log";
import { getRedis, onRedisClose } from "@/lib/rate-limit/redis";
import { ConfigWatch } from "./watch";

/**
 * A token per scope that names the current state of what every request reads: `gateway` (hub keys
 * and provider keys, read by every gateway call) and `sessions` (sessions and their users, read by
 * every signed-in request). Every change replaces its scope's token in Redis, shared by every
 * instance, after its commit and before its answer is sent; a process serves a row it cached only
 * under the token it read before reading that row from the database. So a revoked hub key, a
 * disabled provider or an ended session is refused by every instance's next request. The token is
 * pushed to every instance (watch.ts): a change returns once every instance applied it, and while
 * its lease holds a process takes the token it holds, so the steady state asks Redis nothing; when
 * the lease lapses it reads the token (one GET) as before.
 *
 * No token (null) means "read the database": Redis not configured (PostgreSQL without Redis may be
 * several instances), unreachable, or a change of ours not yet written there. Embedded PGlite is one
 * process, whose own changes are all there is: it uses a token of its own.
 */
export type VersionScope = "gateway" | "sessions";

/** The Redis key of each scope's token (the bench's bare floor reads and writes them too). */
export const VERSION_KEYS: Record<VersionScope, string> = { gateway: "llmhub:gateway-config-version", sessions: "llmhub:sessions-version" };
const RETRY_MS = 1000;
const READY_WAIT_MS = 2000;

interface State {
  local: string;
  /** A change of this process could not replace the shared token yet (retrying). */
  pending: boolean;
}

const g = globalThis as unknown as { __llmhubVersions?: Map<VersionScope, State>; __llmhubConfigWatch?: ConfigWatch | null };
const state = (scope: VersionScope): State => {
  const all = (g.__llmhubVersions ??= new Map());
  let s = all.get(scope);
  if (!s) all.set(scope, (s = { local: newToken(), pending: false }));
  return s;
};

// A token is new when no process ever made it: this process's random prefix and a counter (two
// `randomBytes` calls per change cost ~2% of a delete's CPU, one system call each).
const PREFIX = randomBytes(9).toString("base64url");
let made = 0;
function newToken(): string {
  return `${PREFIX}.${(++made).toString(36)}`;
}

const embedded = () => !getEnv().DATABASE_URL;

/**
 * The tokens pushed to this process (watch.ts), started with the first use: while its lease holds, a
 * request takes the token from it instead of asking Redis.
 */
function watch(redis: Redis): ConfigWatch {
  if (g.__llmhubConfigWatch) return g.__llmhubConfigWatch;
  const w = new ConfigWatch({ redis, subscriber: redis.duplicate(), keys: VERSION_KEYS, namespace: `llmhub:${redis.options.db ?? 0}`, newToken });
  g.__llmhubConfigWatch = w;
  onRedisClose(async () => {
    if (g.__llmhubConfigWatch === w) g.__llmhubConfigWatch = null;
    await w.close();
  });
  return w;
}

/** The token to tag rows read now with (read before the rows), or null when nothing may be cached. */
export async function readVersion(scope: VersionScope): Promise<string | null> {
  const s = state(scope);
  if (embedded()) return s.local;
  const redis = getRedis();
  if (!redis || s.pending) return null;
  const pushed = watch(redis).token(scope);
  if (pushed) return pushed;
  try {
    const token = await redis.get(VERSION_KEYS[scope]);
    if (token) return token;
    // a fresh Redis (or one restarted without persistence): a new token; nothing cached before matches it
    await redis.set(VERSION_KEYS[scope], newToken(), "NX");
    return null;
  } catch {
    return null;
  }
}

/**
 * Called after a change in `scope` committed, before its answer: every instance's cached rows of
 * the scope stop matching. When Redis cannot be written, this process stops caching the scope and
 * retries in the background; the other instances read rows while Redis is down (they cannot read
 * the token either), and hub keys also reach them through PostgreSQL's NOTIFY.
 */
export async function versionChanged(scope: VersionScope): Promise<void> {
  const s = state(scope);
  s.local = newToken();
  if (embedded()) return;
  const redis = getRedis();
  if (!redis) return;
  if (await replaceToken(redis, scope)) return;
  if (s.pending) return;
  s.pending = true;
  log.warn(`Redis unreachable: a change (${scope}) is not yet announced to other instances; retrying, and caching nothing of it here until it is`);
  const retry = setInterval(() => {
    void replaceToken(redis, scope).then((ok) => {
      if (!ok) return;
      clearInterval(retry);
      s.pending = false;
      log.info(`The change (${scope}) is announced to other instances`);
    });
  }, RETRY_MS);
  retry.unref?.();
}

/** The gateway's scope: hub keys and provider keys. */
export const readConfigVersion = () => readVersion("gateway");
export const configChanged = () => versionChanged("gateway");

async function replaceToken(redis: Redis, scope: VersionScope): Promise<boolean> {
  try {
    await whenReady(redis);
    await watch(redis).announce(scope, newToken());
    return true;
  } catch (err) {
    log.debug("config version not written", errorFields(err));
    return false;
  }
}

/** A client made a moment ago (a command-line tool's) has no connection yet, and queues nothing. */
function whenReady(redis: Redis): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error("Redis not ready")), READY_WAIT_MS);
    const onReady = () => done();
    function done(err?: Error) {
      clearTimeout(timer);
      redis.off("ready", onReady);
      if (err) reject(err);
      else resolve();
    }
    redis.on("ready", onReady);
  });
}
