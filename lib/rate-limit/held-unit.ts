import type { Limiter, LimitResult } from "./types";

/**
 * A hub key's rate-limit units spent ahead, so that a request of a key with an `rpm_limit` takes a
 * unit this process already holds instead of waiting for Redis's answer (without that round trip,
 * and the token's, a gateway call at one connection took about a quarter less time: bench/NOTES.md),
 * and a busy key costs Redis one script per batch rather than one per request.
 *
 * Every request is still backed by a unit the shared limiter admitted. A process holds at most
 * {@link batchOf}(rpm) units per key (1 below 2,000 rpm, then 0.1% of the limit, 64 at most), spent
 * in one call once a request of that key was admitted here and half of them are used, and taken by
 * the key's next requests here. What that changes, and no more: a unit is spent up to `holdMs` before
 * the request that uses it (the rolling minute can hold that many requests more per instance, at its
 * edge), and units held but not used count for up to `holdMs` before they are given back. A refusal
 * is never early: a process that holds nothing asks the limiter, whose answer (and Retry-After) the
 * request gets. Redis down: units already held may still be used (they were counted); then the limit
 * fails closed as before.
 *
 * A request that finds nothing held while a batch is on its way waits for that batch rather than
 * sending a script of its own (at 32 connections, a quarter to a half of the requests found the hold
 * empty and each paid for a script: 0.41 scripts per request, bench/NOTES.md). It waits no longer than
 * its own script would have taken, the batch having been sent first; a waiter the batch does not
 * cover asks the limiter itself, so a refusal still comes from the limiter. When the batch fails
 * (Redis down, or hanging until the command timeout), its waiters fail with it at once rather than
 * each wait that long again.
 */
export const batchOf = (rpm: number) => Math.max(1, Math.min(64, Math.floor(rpm / 1000)));

/**
 * A batch on its way, and the requests waiting for one of its units: the limiter's answer, null when
 * the batch had none for them, or the limiter's failure (Redis down or hanging: asking again would
 * only wait as long once more before the same 503).
 */
interface Pending {
  rpm: number;
  waiters: ((r: LimitResult | null | { failed: unknown }) => void)[];
}

interface Held {
  rpm: number;
  /** When the batch was asked for: every unit of it was spent at or after this. */
  at: number;
  spends: string[];
  result: LimitResult;
}

export class HeldUnits {
  private held = new Map<string, Held>();
  private spending = new Map<string, Pending>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly limiterFor: (rpm: number) => Limiter,
    private readonly holdMs = 1000,
  ) {}

  /** Spends one unit of `rpm` for the key: one held, or one now. Resolves with the limiter's answer. */
  async spend(keyId: string, rpm: number): Promise<LimitResult> {
    const h = this.held.get(keyId);
    let result: LimitResult;
    if (h && h.rpm === rpm && performance.now() - h.at < this.holdMs && h.spends.length > 0) {
      h.spends.pop();
      if (h.spends.length === 0) this.held.delete(keyId);
      result = h.result;
    } else {
      // spent under another limit, or too long ago: given back before this request's own unit
      if (h) {
        this.held.delete(keyId);
        await this.giveBack(keyId, h);
      }
      const pending = this.spending.get(keyId);
      const joined = pending && pending.rpm === rpm ? await new Promise<LimitResult | null | { failed: unknown }>((r) => pending.waiters.push(r)) : null;
      if (joined && "failed" in joined) throw joined.failed;
      result = joined ?? (await this.limiterFor(rpm).limit(keyId));
    }
    if (result.success) this.spendAhead(keyId, rpm);
    return result;
  }

  /** Units held now, over every key (for tests). */
  size(): number {
    let n = 0;
    for (const h of this.held.values()) n += h.spends.length;
    return n;
  }

  /** Gives back every unit held (at shutdown). */
  async release(): Promise<void> {
    const all = [...this.held];
    this.held.clear();
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    await Promise.allSettled(all.map(([id, h]) => this.giveBack(id, h)));
  }

  /**
   * Tops the key's hold up to a batch once half of it (or all, for a batch of one) is used; with
   * `waiters` (requests a full batch before did not cover), one unit more for each of them.
   */
  private spendAhead(keyId: string, rpm: number, waiters: Pending["waiters"] = []): void {
    const batch = batchOf(rpm);
    const have = this.held.get(keyId)?.spends.length ?? 0;
    if (waiters.length === 0 && (have > Math.floor(batch / 2) || this.spending.has(keyId))) return;
    const pending: Pending = { rpm, waiters };
    this.spending.set(keyId, pending);
    const want = batch - have + waiters.length;
    const at = performance.now();
    let failed: { failed: unknown } | null = null;
    this.limiterFor(rpm)
      .limit(keyId, want)
      .then(
        (r) => {
          const spends = want > 1 ? [...(r.spends ?? [])] : r.spend ? [r.spend] : [];
          if (!r.success) return;
          const full = spends.length === want;
          if (this.spending.get(keyId) === pending) this.spending.delete(keyId);
          // the requests that waited for this batch take its units first (theirs are spent already)
          for (const w of pending.waiters.splice(0, spends.length)) {
            spends.pop();
            w(r);
          }
          // more waited than it had units for: a batch with one more for each, if this one got all
          // it asked for (near the limit, each asks the limiter itself and gets its answer)
          if (pending.waiters.length > 0 && full) this.spendAhead(keyId, rpm, pending.waiters.splice(0));
          if (spends.length === 0) return;
          const cur = this.held.get(keyId);
          if (cur && cur.rpm === rpm) {
            // the batch's time is its oldest unit's: the units held before go first
            cur.spends.unshift(...spends);
          } else {
            if (cur) void this.giveBack(keyId, cur);
            this.held.set(keyId, { rpm, at, spends, result: r });
          }
          this.sweep();
        },
        (err: unknown) => {
          // Redis down: nothing held; the requests that waited fail with it (closed), the next asks
          failed = { failed: err };
        },
      )
      .finally(() => {
        if (this.spending.get(keyId) === pending) this.spending.delete(keyId);
        // waiters of a refused batch, or one short of units, ask the limiter themselves
        for (const w of pending.waiters.splice(0)) w(failed);
      });
  }

  private giveBack(keyId: string, h: Held): Promise<void> {
    const limiter = this.limiterFor(h.rpm);
    return Promise.all(h.spends.map((s) => limiter.refund(keyId, s))).then(
      () => undefined,
      () => undefined, // Redis down: the units age out with their window
    );
  }

  /** Units not used within holdMs are given back (checked every holdMs while any is held). */
  private sweep(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => {
      const now = performance.now();
      for (const [id, h] of this.held) {
        if (now - h.at < this.holdMs) continue;
        this.held.delete(id);
        void this.giveBack(id, h);
      }
      if (this.held.size === 0 && this.sweeper) {
        clearInterval(this.sweeper);
        this.sweeper = null;
      }
    }, this.holdMs);
    this.sweeper.unref?.();
  }
}
