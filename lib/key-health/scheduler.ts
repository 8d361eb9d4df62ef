import "server-only";
import { randomUUID } from "node:crypto";
import { getKeyring } from "@/lib/config/secrets";
import { acquireLease, type Fence, listDueKeys, releaseLease, scheduleUnscheduledKeys, setNextCheck } from "@/lib/db/queries/scheduler";
import type { ProviderKey } from "@/lib/db/schema";
import { errorFields, log } from "@/lib/log";
import { envKeyFor } from "@/lib/key-checks/env-keys";
import { recordKeyCheck } from "@/lib/key-checks/record";
import { isProviderType, type ProviderType } from "@/lib/providers/catalogue";
import type { KeyTestResult } from "@/lib/providers/types";
import { jitterRange, nextCheck } from "./schedule-math";

export const LEASE_NAME = "health-checks";
/** Due keys read per query; a sweep reads batches until none is due. */
const DUE_BATCH = 500;

export interface SchedulerOptions {
  intervalMs: number;
  concurrency: number;
  /** How often the runner wakes up to renew its lease and look for due keys. */
  tickMs: number;
  clock?: () => Date;
  random?: () => number;
  holder?: string;
  /** Due keys read per query (default 500); a sweep reads batches until none is due. */
  dueBatch?: number;
  testKey: (type: ProviderType, key: string | null, baseUrl: string | null) => Promise<KeyTestResult>;
}

/**
 * The background key checker. Every instance runs one; only the holder of the `health-checks` lease
 * checks keys, and every write is fenced on that lease, so each due key is checked once per
 * interval across all instances, and a runner paused past its lease writes nothing.
 */
export class HealthScheduler {
  private readonly holder: string;
  private readonly clock: () => Date;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly opts: SchedulerOptions) {
    this.holder = opts.holder ?? `${process.pid}-${randomUUID().slice(0, 8)}`;
    this.clock = opts.clock ?? (() => new Date());
    this.random = opts.random ?? Math.random;
  }

  start(): void {
    const loop = () => {
      if (this.stopping) return;
      this.running = this.tick()
        .then(() => undefined)
        .catch((err) => log.warn("Health check sweep failed; retrying on the next tick", errorFields(err)))
        .finally(() => {
          if (!this.stopping) this.timer = setTimeout(loop, this.opts.tickMs);
        });
    };
    loop();
  }

  /** Finishes the checks in flight (each bounded by the provider timeout), then gives up the lease. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running;
    await releaseLease(LEASE_NAME, this.holder).catch(() => {});
  }

  /**
   * One sweep: renew or take the lease; if ours, check every due key with bounded concurrency, in
   * batches until none is due (a backlog does not wait a tick per batch). The lease is renewed as the
   * sweep goes, so slow providers cannot make it expire mid-sweep; a lost lease ends the sweep.
   */
  async tick(): Promise<{ leader: boolean; checked: number }> {
    const ttlMs = this.opts.tickMs * 3 + 30_000;
    const now = this.clock();
    const epoch = await acquireLease(LEASE_NAME, this.holder, now, ttlMs);
    if (epoch === null) return { leader: false, checked: 0 };
    const fence = (): Fence => ({ name: LEASE_NAME, holder: this.holder, epoch, now: this.clock() });
    let renewedAt = now.getTime();
    let lost = false;
    const keepLease = async (): Promise<boolean> => {
      const t = this.clock();
      if (lost || t.getTime() - renewedAt < ttlMs / 3) return !lost;
      renewedAt = t.getTime();
      if ((await acquireLease(LEASE_NAME, this.holder, t, ttlMs)) !== epoch) lost = true;
      return !lost;
    };

    await scheduleUnscheduledKeys(now, jitterRange(this.opts.intervalMs), fence());
    let checked = 0;
    while (!this.stopping && !lost) {
      const queue = await listDueKeys(this.clock(), this.opts.dueBatch ?? DUE_BATCH);
      if (queue.length === 0) break;
      let moved = 0;
      const worker = async () => {
        for (let row = queue.shift(); row && !this.stopping && (await keepLease()); row = queue.shift()) {
          const outcome = await this.checkOne(row, fence);
          if (outcome !== "refused") moved++;
          if (outcome === "checked") checked++;
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.opts.concurrency, queue.length) }, worker));
      if (moved === 0) break; // every claim refused: the fence no longer holds
    }
    return { leader: true, checked };
  }

  /** checked: a result was recorded; skipped: nothing to check, moved on; refused: the fence failed. */
  private async checkOne(row: ProviderKey, fence: () => Fence): Promise<"checked" | "skipped" | "refused"> {
    const type = isProviderType(row.providerType) ? row.providerType : null;
    const key = !type ? null : row.encryptedKey ? decrypt(row) : type !== "custom" ? envKeyFor(type) : null;
    if (!type || !key) {
      // nothing to check (no key, or undecryptable): look again one interval later
      return (await setNextCheck(row.id, new Date(this.clock().getTime() + this.opts.intervalMs), fence())) ? "skipped" : "refused";
    }
    // claim: if this runner dies mid-check, the key waits one interval instead of being re-checked at once
    if (!(await setNextCheck(row.id, new Date(this.clock().getTime() + this.opts.intervalMs), fence()))) return "refused";
    const result = await this.opts.testKey(type, key, row.config.base_url ?? null);
    const next = nextCheck(result, row.checkBackoff, this.opts.intervalMs, this.random);
    const written = await recordKeyCheck({
      id: row.id,
      fingerprint: row.encryptedKey ? row.keyFingerprint : null,
      trigger: "scheduled",
      result,
      schedule: { nextCheckAt: new Date(this.clock().getTime() + next.delayMs), checkBackoff: next.backoffLevel },
      fence: fence(),
    });
    if (!written) log.warn(`Scheduled check of ${row.name} not recorded (lease lost or key changed meanwhile)`);
    // claimed either way: the key is not due again this interval
    return written ? "checked" : "skipped";
  }
}

function decrypt(row: ProviderKey): string | null {
  try {
    return getKeyring().decrypt(row.encryptedKey ?? "", row.encryptionKeyId);
  } catch {
    log.error("Scheduled check skipped: stored key cannot be decrypted with the configured keys", { id: row.id });
    return null;
  }
}
