/** What every server action returns: data, or an error the UI can explain (never a stack, never a key). */
export interface ActionError {
  detail: string;
  code: string;
  status: number;
  /** Seconds to wait before trying again (rate limits, outages). */
  retryAfter?: number;
}

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };
