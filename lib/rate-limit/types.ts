export interface LimitResult {
  success: boolean;
  limit: number;
  remaining: number;
  /** Unix ms when the budget is next fully usable. */
  reset: number;
  /** Names the unit spent (only when admitted), for {@link Limiter.refund}. */
  spend?: string;
  /** With `units` > 1: each unit spent (as many as were left, up to `units`), each refundable. */
  spends?: string[];
}

export interface Limiter {
  /**
   * Spends one unit if one is left, atomically (concurrent callers never share the last unit). With
   * `units` > 1 it spends as many as are left, up to `units`, and admits when it spent at least one.
   */
  limit(id: string, units?: number): Promise<LimitResult>;
  /** Gives back a unit this limiter admitted, as if it had never been spent. */
  refund(id: string, spend: string): Promise<void>;
}
