import type { KeyTestResult } from "@/lib/providers/types";
import type { AlertKind } from "./transition";

/** "2 h 5 min", "45 min", "30 s": how long something has lasted, for alert sentences. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} days`;
}

/**
 * The sentence an admin reads in the bell, the webhook and Slack. Built only from the provider's
 * name and our own fixed test sentences (lib/providers/messages.ts), never from provider text.
 */
export function alertMessage(kind: AlertKind, name: string, result: Pick<KeyTestResult, "error" | "latency_ms">, degradedSince: Date | null, now: Date): string {
  const why = result.error ?? "the check failed";
  const lasted = degradedSince ? ` for ${formatDuration(now.getTime() - degradedSince.getTime())}` : "";
  switch (kind) {
    case "key_unhealthy":
      return `${name}: the key stopped working - ${why}`;
    case "key_still_unhealthy":
      return `${name}: the key is still not working - ${why}`;
    case "key_degraded":
      return `${name}: degraded${lasted} - ${why}`;
    case "key_still_degraded":
      return `${name}: still degraded${lasted} - ${why}`;
    case "key_recovered":
      return `${name}: the key works again${result.latency_ms !== null ? ` (check took ${result.latency_ms} ms)` : ""}`;
  }
}
