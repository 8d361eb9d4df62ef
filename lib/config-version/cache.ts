import { nowMs } from "@/lib/clock";

/**
 * Values cached in this process under the configuration token they were read with
 * (`readConfigVersion`, read before the value): a hit needs the caller's current token to be the
 * entry's, so any change anywhere makes every entry a miss. Bounded in size and age.
 */
export class VersionedCache<V> {
  private readonly entries = new Map<string, { version: string; value: V; at: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly maxAgeMs = 5 * 60_000,
  ) {}

  get(key: string, version: string | null): V | undefined {
    if (version === null) return undefined;
    const e = this.entries.get(key);
    if (!e || e.version !== version || nowMs() - e.at >= this.maxAgeMs) return undefined;
    return e.value;
  }

  set(key: string, version: string | null, value: V): void {
    if (version === null) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { version, value, at: nowMs() });
  }

  clear(): void {
    this.entries.clear();
  }
}
