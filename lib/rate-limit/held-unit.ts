import type { Limiter, LimitResult } from "./types";

/**
 * A hub key's rate-limit unit spent one request ahead, so that a request of a key with an
 * `rpm_limit` takes a unit this process already holds instead of waiting for Redis's answer (the
 * limiter's round trip was a third of the gateway's added latency at one connection).
 *
 * Every request is still backed by a unit the shared limiter admitted: a process holds at most one
 * unit per key, spent after a request of that key was admitted, and taken by the key's next request
 * here. What that changes, and no more: a unit is spent up to `holdMs` before the request that uses
 * it (the rolling minute can hold one request more per instance, at its edge), and a unit held but
 * not used counts for up to `holdMs` before it is given back. A refusal is never early: a process
 * that holds nothing asks the limiter, whose answer (and Retry-After) the request gets. Redis down:
 * a unit already held may still be used (it was counted); then the limit fails closed as before.
 */
export class HeldUnits {
  private held = new Map<string, { rpm: number; spend: string; at: number; result: LimitResult }>();
  private spending = new Set<string>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly limiterFor: (rpm: number) => Limiter,
    private readonly holdMs = 1000,
  ) {}

  /** Spends one unit of `rpm` for the key: the one held, or one now. Resolves with the limiter's answer. */
  async spend(keyId: string, rpm: number): Promise<LimitResult> {
    const h = this.held.get(keyId);
    let result: LimitResult;
    if (h) this.held.delete(keyId);
    if (h && h.rpm === rpm && performance.now() - h.at < this.holdMs) {
      result = h.result;
    } else {
      // spent under another limit, or too long ago: given back before this request's own unit
      if (h) await this.giveBack(keyId, h);
      result = await this.limiterFor(rpm).limit(keyId);
    }
    if (result.success) this.spendAhead(keyId, rpm);
    return result;
  }

  /** Units held now (for tests). */
  size(): number {
    return this.held.size;
  }

  /** Gives back every unit held (at shutdown). */
  async release(): Promise<void> {
    const all = [...this.held];
    this.held.clear();
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    await Promise.allSettled(all.map(([id, h]) => this.giveBack(id, h)));
  }

  private spendAhead(keyId: string, rpm: number): void {
    if (this.spending.has(keyId)) return;
    this.spending.add(keyId);
    const at = performance.now();
    this.limiterFor(rpm)
      .limit(keyId)
      .then(
        (r) => {
          if (!r.success || !r.spend) return;
          const h = { rpm, spend: r.spend, at, result: r };
          if (this.held.has(keyId)) return void this.giveBack(keyId, h);
          this.held.set(keyId, h);
          this.sweep();
        },
        () => {}, // Redis down: nothing held; the next request asks and fails closed
      )
      .finally(() => this.spending.delete(keyId));
  }

  private giveBack(keyId: string, h: { rpm: number; spend: string }): Promise<void> {
    return this.limiterFor(h.rpm)
      .refund(keyId, h.spend)
      .catch(() => {}); // Redis down: the unit ages out with its window
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
