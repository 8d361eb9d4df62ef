import type { Limiter, LimitResult } from "./limiter";

/**
 * An exact rolling-window limiter for one process, used only when REDIS_URL is not set at all
 * (zero-setup mode). It keeps the timestamps of the spends in the window for each id.
 */
export class MemoryLimiter implements Limiter {
  private readonly spends = new Map<string, number[]>();

  constructor(
    private readonly tokens: number,
    private readonly windowMs: number,
  ) {}

  async limit(id: string): Promise<LimitResult> {
    const now = Date.now();
    const list = this.live(id, now);
    const success = list.length < this.tokens;
    if (success) list.push(now);
    this.spends.set(id, list);
    if (this.spends.size > 10_000) this.sweep(now);
    return this.result(list, success, now);
  }

  async peek(id: string): Promise<LimitResult> {
    const now = Date.now();
    const list = this.live(id, now);
    return this.result(list, list.length < this.tokens, now);
  }

  private live(id: string, now: number): number[] {
    return (this.spends.get(id) ?? []).filter((t) => t > now - this.windowMs);
  }

  private result(list: number[], success: boolean, now: number): LimitResult {
    const oldest = list[0];
    return {
      success,
      limit: this.tokens,
      remaining: Math.max(0, this.tokens - list.length),
      reset: oldest === undefined ? now : oldest + this.windowMs,
    };
  }

  private sweep(now: number) {
    for (const [id, list] of this.spends) if (!list.some((t) => t > now - this.windowMs)) this.spends.delete(id);
  }
}
