import { type Cost, costOf, type Price, priceKeysOf } from "./cost";
import { normalizeInput, type UsageInput, type UsageRecord } from "./record";

type Pending = ReturnType<typeof normalizeInput>;

export interface BatcherOptions {
  /** Records per statement (the write is one statement per batch). */
  batchSize: number;
  /** How long a record may wait for its batch to fill before it is written anyway. */
  flushIntervalMs: number;
  /** Records held in memory at most (queued plus a batch awaiting retry); more are dropped and counted. */
  maxQueued: number;
  /** Writes one batch (one statement); throws when it could not. */
  write: (records: UsageRecord[]) => Promise<void>;
  /** The price table by `route/model`; may throw (the batch then waits and is retried). */
  prices: () => Promise<Map<string, Price>>;
  /** Told about failures and drops, without any record content. */
  onError: (err: unknown, pendingRecords: number) => void;
  onDropped: (count: number) => void;
  /**
   * True for an error that retrying cannot cure (the database refused the data, not an outage). A
   * batch that fails this way MAX_REFUSALS times in a row is dropped and counted, so that one bad
   * batch cannot hold up every record after it.
   */
  isRefusal?: (err: unknown) => boolean;
  maxBackoffMs?: number;
}

const MAX_REFUSALS = 5;

/**
 * Collects usage records off the request path and writes them in batches. `enqueue` never blocks
 * or throws. A batch that fails to write (PostgreSQL restarting) is kept, costed as it was, and
 * retried with backoff until it is written; meanwhile new records queue up to `maxQueued`, beyond
 * which they are dropped and counted (memory stays bounded whatever the outage lasts). Records that
 * were written by an attempt whose answer was lost are not written twice (see insertUsageBatch).
 */
export class UsageBatcher {
  private queue: Pending[] = [];
  /**
   * How many records at the head of the queue are due: queued when their interval ran out (or when
   * a flush was asked for). They are written even in a partial batch; the records behind them wait
   * for a full batch or their own interval.
   */
  private due = 0;
  /** When each queued record was queued (performance.now()), in the queue's order. */
  private queuedAt: number[] = [];
  private retry: UsageRecord[] | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** When the timer fires (performance.now()). */
  private timerAt = 0;
  private running: Promise<void> | null = null;
  private failures = 0;
  private refusals = 0;
  private stopped = false;
  /** Counters for logs and the bench: statements that succeeded, records written, dropped, failed attempts. */
  readonly stats = { statements: 0, written: 0, dropped: 0, failedAttempts: 0 };

  constructor(private readonly o: BatcherOptions) {}

  /** Records held in memory, not yet written. */
  get pending(): number {
    return this.queue.length + (this.retry?.length ?? 0);
  }

  enqueue(input: UsageInput): void {
    try {
      if (this.pending >= this.o.maxQueued) {
        this.stats.dropped++;
        this.o.onDropped(1);
        return;
      }
      this.queue.push(normalizeInput(input));
      this.queuedAt.push(performance.now());
      if (this.queue.length >= this.o.batchSize && !this.retry) this.fullBatch();
      else this.schedule();
    } catch (err) {
      this.o.onError(err, this.pending);
    }
  }

  /**
   * Writes what is queued now (one batch after another); resolves when done or on the first
   * failure. With `fullOnly`, only full batches: a partial one waits for its interval, so that a
   * steady trickle of requests still makes few, large statements. Records queued while the batches
   * are written wait for a full batch or their own interval: they are not due yet, and writing them
   * at once would keep a loaded server writing small batches back to back (one per write's time).
   */
  flush(fullOnly = false): Promise<void> {
    if (!fullOnly) this.due = this.queue.length;
    this.running ??= this.runBatches().finally(() => {
      this.running = null;
      this.schedule();
    });
    return this.running;
  }

  /**
   * For shutdown: stops the timer and keeps writing until everything is written or `deadlineMs`
   * passes. Returns how many records could not be written.
   */
  async drain(deadlineMs: number): Promise<number> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const until = Date.now() + deadlineMs;
    while (this.pending > 0 && Date.now() < until) {
      await this.flush();
      if (this.pending > 0 && this.failures) await new Promise((r) => setTimeout(r, Math.min(this.backoffMs(), Math.max(0, until - Date.now()))));
    }
    return this.pending;
  }

  private fullBatch(): void {
    if (!this.stopped && !this.running) void this.flush(true);
  }

  /**
   * Arms the timer for when the oldest queued record's interval runs out (so a steady load that
   * fills batches makes no partial one between them), or after a failure for the backoff, which
   * new records do not cut short.
   */
  private schedule(): void {
    if (this.stopped || this.running || this.pending === 0) return;
    if (this.timer && this.failures) return;
    const oldest = this.queuedAt[0];
    // armed for this oldest record already (or overdue and about to fire); a timer armed for a
    // record written since is too early: armed again
    if (this.timer && oldest !== undefined && this.timerAt >= oldest + this.o.flushIntervalMs - 1) return;
    const now = performance.now();
    const at = this.failures ? now + this.backoffMs() : Math.max(now, (oldest ?? now) + this.o.flushIntervalMs);
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, at - now);
    this.timer.unref?.();
  }

  private backoffMs(): number {
    return Math.min(this.o.maxBackoffMs ?? 5000, this.o.flushIntervalMs * 2 ** Math.min(this.failures, 10));
  }

  private async runBatches(): Promise<void> {
    while (this.retry || this.due > 0 || this.queue.length >= this.o.batchSize) {
      let batch = this.retry;
      try {
        if (!batch) {
          const prices = await this.o.prices();
          const taken = this.queue.splice(0, this.o.batchSize);
          this.queuedAt.splice(0, taken.length);
          this.due = Math.max(0, this.due - taken.length);
          batch = taken.map((p) => costed(p, prices));
          this.retry = batch; // held until written
        }
        await this.o.write(batch);
        this.stats.statements++;
        this.stats.written += batch.length;
        this.retry = null;
        this.failures = 0;
        this.refusals = 0;
      } catch (err) {
        this.failures++;
        this.stats.failedAttempts++;
        this.o.onError(err, this.pending);
        this.refusals = this.o.isRefusal?.(err) ? this.refusals + 1 : 0;
        if (this.retry && this.refusals >= MAX_REFUSALS) {
          this.stats.dropped += this.retry.length;
          this.o.onDropped(this.retry.length);
          this.retry = null;
          this.refusals = 0;
          this.failures = 0;
        }
        return;
      }
    }
  }
}

/**
 * A normalised record with its cost: the provider's figure, else the price table's, else unpriced.
 * One object literal with every field named (typed: a field added to the record must be named here),
 * not a rest and a spread: on Node 20 those took ~6 µs per record (lib/gateway/record.ts).
 */
export function costed(p: Pending, prices: Map<string, Price>): UsageRecord {
  let price: Price | undefined;
  for (const k of priceKeysOf(p.route, p.modelRequested, p.modelServed)) {
    price = prices.get(k);
    if (price) break;
  }
  const cost: Cost = costOf({ providerCostUsd: p.providerCostUsd, inputTokens: p.inputTokens, outputTokens: p.outputTokens, cachedTokens: p.cachedTokens }, price);
  return {
    id: p.id,
    requestId: p.requestId,
    startedAt: p.startedAt,
    hubKeyId: p.hubKeyId,
    providerKeyId: p.providerKeyId,
    providerType: p.providerType,
    route: p.route,
    endpoint: p.endpoint,
    modelRequested: p.modelRequested,
    modelServed: p.modelServed,
    stream: p.stream,
    statusCode: p.statusCode,
    errorCode: p.errorCode,
    latencyMs: p.latencyMs,
    ttfbMs: p.ttfbMs,
    inputTokens: p.inputTokens,
    outputTokens: p.outputTokens,
    cachedTokens: p.cachedTokens,
    reasoningTokens: p.reasoningTokens,
    costUsd: cost.costUsd,
    costSource: cost.costSource,
    completed: p.completed,
    source: p.source,
  };
}
