"use client";

import { RelativeTime } from "@/components/ui/relative-time";
import type { KeyHealthOverview } from "./queries";
import { describeBar, describeBucket, FAILURE_WORDS, toneOf } from "./uptime";

/**
 * A key's recent checks as a bar of hourly (or 6-hourly) segments, worst outcome per segment, with
 * the uptime in words for screen readers and the time and counts of each segment on hover.
 */
export function UptimeBar({ health, window, since, bucketSeconds }: { health: KeyHealthOverview | undefined; window: "24h" | "7d"; since: string; bucketSeconds: number }) {
  const buckets = health?.buckets ?? [];
  const label = describeBar(window, health?.uptime_pct ?? null, buckets);
  const start = Date.parse(since);
  const fmt = new Intl.DateTimeFormat(undefined, window === "24h" ? { hour: "2-digit", minute: "2-digit" } : { weekday: "short", hour: "2-digit", minute: "2-digit" });
  return (
    <div className="uptime">
      <div className="uptime-bar" role="img" aria-label={label} title={label}>
        {buckets.length === 0 ? (
          <span className="uptime-empty">No checks in this window</span>
        ) : (
          buckets.map((b, i) => {
            const from = new Date(start + i * bucketSeconds * 1000);
            return <span key={i} className={`uptime-seg uptime-${toneOf(b)}`} title={`${fmt.format(from)}: ${describeBucket(b)}`} />;
          })
        )}
      </div>
      <span className="muted small uptime-pct" aria-hidden="true">
        {health?.uptime_pct !== null && health?.uptime_pct !== undefined ? `${health.uptime_pct}%` : "–"}
      </span>
    </div>
  );
}

/** "Last failure: invalid key (HTTP 401), 3 hours ago". */
export function LastFailure({ health }: { health: KeyHealthOverview | undefined }) {
  const f = health?.last_failure;
  if (!f) return <span className="muted">None recorded</span>;
  const words = (f.error_code && FAILURE_WORDS[f.error_code]) ?? f.outcome;
  return (
    <span>
      {words}
      {f.status_code ? ` (HTTP ${f.status_code})` : ""}, <RelativeTime iso={f.checked_at} />
    </span>
  );
}
