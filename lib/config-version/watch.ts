import "server-only";
import { randomBytes } from "node:crypto";
import type Redis from "ioredis";

/**
 * Pushes the configuration tokens (version.ts) to every instance, so that a request can use the
 * token this process holds instead of asking Redis for it (one round trip less per gateway call
 * and per signed-in request), without weakening "a change holds on every instance's next request".
 *
 * - Every instance subscribes to the deployment's change channel and to a heartbeat channel of its
 *   own, on one connection. Every `heartbeatMs` it runs a script that renews its entry in a lease
 *   registry (a sorted set, on Redis's clock) and publishes the current tokens on its heartbeat
 *   channel. A heartbeat message carries the state as of that script, and every change published
 *   before it has reached this process first (Redis delivers a connection's messages in order), so
 *   the tokens are taken from it and trusted until `leaseMs` after the script was *sent*.
 * - A change runs one script that replaces the token, publishes it and returns the registry's live
 *   entries; it then waits until each of them has acknowledged (a process acknowledges after it
 *   applied the change), or `leaseMs` at most: by then every instance that did not acknowledge
 *   has stopped trusting what it holds (its lease counted from a heartbeat sent before the change),
 *   and reads the token from Redis again. An instance whose subscription is down receives nothing
 *   and stops trusting within `leaseMs`; one that was not registered at the change either got the
 *   change before its next heartbeat, or trusts nothing yet.
 *
 * `token()` is null whenever the lease is not held: the caller reads Redis as before.
 */

export interface ConfigWatchOptions {
  /** The app's connection: scripts and acknowledgements. */
  redis: Redis;
  /** A connection of its own for the subscription (made with `redis.duplicate()`), closed by close(). */
  subscriber: Redis;
  /** Scope → the Redis key of its token. */
  keys: Record<string, string>;
  /** The namespace of the channels and the registry (pub/sub is not per database: include the db). */
  namespace: string;
  heartbeatMs?: number;
  leaseMs?: number;
  /** Makes a new token (for a key a flushed Redis lost). */
  newToken: () => string;
}

const HEARTBEAT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease * 4)
local out = ARGV[4]
for i = 2, #KEYS do
  local v = redis.call('GET', KEYS[i])
  if not v then
    v = ARGV[3 + i]
    redis.call('SET', KEYS[i], v)
  end
  out = out .. ' ' .. v
end
redis.call('PUBLISH', ARGV[3], out)
return 1
`;

const CHANGE_SCRIPT = `
redis.call('SET', KEYS[2], ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')
`;

interface Pending {
  /** Instances that applied the change (this one included, when its own message came back). */
  acked: Set<string>;
  /** The registry's live instances at the change, once the script answered. */
  live: string[] | null;
  done: () => void;
}

const complete = (p: Pending) => p.live !== null && p.live.every((id) => p.acked.has(id));

export class ConfigWatch {
  readonly id = randomBytes(9).toString("base64url");
  private readonly redis: Redis;
  private readonly sub: Redis;
  private readonly scopes: string[];
  private readonly keyList: string[];
  private readonly changes: string;
  private readonly beats: string;
  private readonly registry: string;
  private readonly heartbeatMs: number;
  private readonly leaseMs: number;
  private readonly newToken: () => string;
  private tokens = new Map<string, string>();
  private trustedUntil = 0;
  /** Bumped whenever the subscription may have missed messages: heartbeats sent before do not count. */
  private epoch = 0;
  private seq = 0;
  private sent = new Map<number, { at: number; epoch: number }>();
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout;
  private closed = false;
  private subscribed: Promise<void>;
  private isSubscribed = false;

  constructor(o: ConfigWatchOptions) {
    this.redis = o.redis;
    this.sub = o.subscriber;
    this.scopes = Object.keys(o.keys);
    this.keyList = this.scopes.map((s) => o.keys[s]!);
    this.changes = `${o.namespace}:config:changes`;
    this.beats = `${o.namespace}:config:beat:${this.id}`;
    this.registry = `${o.namespace}:config:leases`;
    this.heartbeatMs = o.heartbeatMs ?? 250;
    this.leaseMs = o.leaseMs ?? 1000;
    this.newToken = o.newToken;
    const lapse = () => {
      this.epoch++;
      this.trustedUntil = 0;
    };
    this.sub.on("close", lapse);
    this.sub.on("reconnecting", lapse);
    this.sub.on("error", () => {}); // the app's own client reports Redis being down
    this.sub.on("message", (channel: string, message: string) => this.onMessage(channel, message));
    // once connected (the app's clients queue nothing while disconnected); after a reconnect ioredis
    // subscribes again by itself
    const subscribe = () => this.sub.subscribe(this.changes, this.beats);
    const connected = this.sub.status === "ready" ? Promise.resolve() : new Promise<void>((resolve) => this.sub.once("ready", () => resolve()));
    this.subscribed = connected.then(subscribe).then(
      () => void (this.isSubscribed = true),
      () => undefined,
    );
    this.timer = setInterval(() => this.beat(), this.heartbeatMs);
    this.timer.unref?.();
    this.beat();
  }

  /** The scope's token while the lease holds; null when the caller must read Redis. */
  token(scope: string): string | null {
    if (performance.now() >= this.trustedUntil) return null;
    return this.tokens.get(scope) ?? null;
  }

  /** True while this process holds the lease (for tests and diagnostics). */
  trusted(): boolean {
    return performance.now() < this.trustedUntil;
  }

  /**
   * Replaces the scope's token and returns once every registered instance applied it (or could no
   * longer use the old one). Throws when Redis could not be written.
   */
  async announce(scope: string, token: string): Promise<void> {
    const key = this.keyList[this.scopes.indexOf(scope)];
    if (!key) throw new Error(`unknown scope ${scope}`);
    const msgId = randomBytes(9).toString("base64url");
    // not yet subscribed (a process that has just started): the acknowledgements would be missed
    if (!this.isSubscribed) await Promise.race([this.subscribed, new Promise((r) => setTimeout(r, this.leaseMs).unref?.())]);
    // listen for the acknowledgements before they can arrive
    let finish!: () => void;
    const settled = new Promise<void>((resolve) => (finish = resolve));
    const entry: Pending = { acked: new Set(), live: null, done: finish };
    this.pending.set(msgId, entry);
    try {
      const live = (await this.redis.eval(CHANGE_SCRIPT, 2, this.registry, key, token, this.changes, `c ${scope} ${token} ${msgId}`)) as string[];
      // this process too: until its own message is back, a heartbeat sent before the change may still
      // arrive with the old token
      entry.live = live.includes(this.id) ? live : [...live, this.id];
      if (complete(entry)) return;
      // counted from the answer, which came after the change: an instance that has not acknowledged by
      // then last renewed its lease before the change, and that lease has run out
      const timer = setTimeout(finish, this.leaseMs + 50);
      await settled;
      clearTimeout(timer);
    } finally {
      this.pending.delete(msgId);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.trustedUntil = 0;
    for (const p of this.pending.values()) p.done();
    // leave the registry, so that a change does not wait for this process
    await this.redis.zrem(this.registry, this.id).catch(() => {});
    await this.sub.quit().catch(() => this.sub.disconnect());
  }

  private beat(): void {
    if (this.closed || this.redis.status !== "ready" || this.sub.status !== "ready") return;
    const seq = ++this.seq;
    const now = performance.now();
    // a heartbeat whose message never came (the subscription was down) can no longer give a lease
    for (const [s, v] of this.sent) if (v.at < now - this.leaseMs) this.sent.delete(s);
    this.sent.set(seq, { at: now, epoch: this.epoch });
    const fresh = this.keyList.map(() => this.newToken());
    this.redis.eval(HEARTBEAT_SCRIPT, 1 + this.keyList.length, this.registry, ...this.keyList, this.id, this.leaseMs, this.beats, seq, ...fresh).catch(() => {
      this.sent.delete(seq);
    });
  }

  private onMessage(channel: string, message: string): void {
    if (channel === this.beats) {
      const parts = message.split(" ");
      const seq = Number(parts[0]);
      const sent = this.sent.get(seq);
      // older heartbeats than this one are answered or lost
      for (const s of this.sent.keys()) if (s <= seq) this.sent.delete(s);
      if (!sent || sent.epoch !== this.epoch || this.closed || parts.length !== this.scopes.length + 1) return;
      this.scopes.forEach((s, i) => this.tokens.set(s, parts[i + 1]!));
      this.trustedUntil = Math.max(this.trustedUntil, sent.at + this.leaseMs);
      return;
    }
    if (channel !== this.changes) return;
    const [kind, a, b, c] = message.split(" ");
    if (kind === "c" && a && b && c && this.scopes.includes(a)) {
      this.tokens.set(a, b);
      const own = this.pending.get(c);
      if (own) return this.acked(own, this.id);
      // acknowledged once applied: a request that starts after this sees the new token
      this.redis.publish(this.changes, `a ${c} ${this.id}`).catch(() => {});
    } else if (kind === "a" && a && b) {
      const p = this.pending.get(a);
      if (p) this.acked(p, b);
    }
  }

  private acked(p: Pending, id: string): void {
    p.acked.add(id);
    if (complete(p)) p.done();
  }
}
