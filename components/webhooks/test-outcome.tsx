"use client";

import type { DeliveryView } from "./queries";

/** What the first attempt of a test notification got. */
export function WebhookTestOutcome({ d }: { d: DeliveryView | null }) {
  const a = d?.attempt_log.at(-1);
  if (!d || !a) return <p className="outcome-warn">Queued; the first attempt is taking longer than usual. Check Deliveries.</p>;
  if (a.success) return <p className="outcome-ok">Delivered: the receiver answered HTTP {a.status_code} in {a.latency_ms} ms.</p>;
  return (
    <p className="outcome-bad">
      Not delivered: {a.error}.{d.status === "pending" ? " It will be retried with backoff; see Deliveries." : ""}
    </p>
  );
}
