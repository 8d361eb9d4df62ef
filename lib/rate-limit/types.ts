export interface LimitResult {
  success: boolean;
  limit: number;
  remaining: number;
  /** Unix ms when the budget is next fully usable. */
  reset: number;
  /** Names the unit spent (only when admitted), for {@link Limiter.refund}. */
  spend?: string;
}

export interface Limiter {
  /** Spends one unit if one is left, atomically (concurrent callers never share the last unit). */
  limit(id: string): Promise<LimitResult>;
  /** Gives back a unit this limiter admitted, as if it had never been spent. */
  refund(id: string, spend: string): Promise<void>;
}
