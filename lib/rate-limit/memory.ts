import type { Limiter, LimitResult } from "./types";

export type Spend = { at: number; n: number };

/** Names each spend, unique in the process (limiters may share their spends). */
let counter = 0;

/**
 * An exact rolling-window limiter for one process, used only when REDIS_URL is not set at all
 * (zero-setup mode). It keeps the spends in the window for each id: when, and a number naming each.
 */
export class MemoryLimiter implements Limiter {
  private readonly spends: Map<string, Spend[]>;

  /**
   * `shared`: the spends of limiters that count the same requests under different limits (a hub
   * key's rpm limiters: its requests still count when its limit changes, as the one Redis key per id
   * does with Redis).
   */
  constructor(
    private readonly tokens: number,
    private readonly windowMs: number,
    shared?: Map<string, Spend[]>,
  ) {
    this.spends = shared ?? new Map();
  }

  async limit(id: string, units = 1): Promise<LimitResult> {
    const now = Date.now();
    const list = this.live(id, now);
    const spends: string[] = [];
    while (spends.length < units && list.length < this.tokens) {
      const n = ++counter;
      list.push({ at: now, n });
      spends.push(String(n));
    }
    const success = spends.length > 0;
    this.spends.set(id, list);
    if (this.spends.size > 10_000) this.sweep(now);
    return { ...this.result(list, success, now), spend: spends[0], ...(units > 1 ? { spends } : {}) };
  }

  async refund(id: string, spend: string): Promise<void> {
    const list = this.spends.get(id);
    const i = list?.findIndex((s) => String(s.n) === spend) ?? -1;
    if (list && i >= 0) list.splice(i, 1);
  }

  private live(id: string, now: number): Spend[] {
    return (this.spends.get(id) ?? []).filter((s) => s.at > now - this.windowMs);
  }

  private result(list: Spend[], success: boolean, now: number): LimitResult {
    const oldest = list[0]?.at;
    return {
      success,
      limit: this.tokens,
      remaining: Math.max(0, this.tokens - list.length),
      reset: oldest === undefined ? now : oldest + this.windowMs,
    };
  }

  private sweep(now: number) {
    for (const [id, list] of this.spends) if (!list.some((s) => s.at > now - this.windowMs)) this.spends.delete(id);
  }
}
