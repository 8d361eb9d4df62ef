"use client";

import { useQuery } from "@tanstack/react-query";
import { RelativeTime } from "@/components/ui/relative-time";
import { deliveriesQuery } from "./queries";

/** A webhook's recent deliveries, each with its attempts; refreshed while open. */
export function DeliveryLog({ id }: { id: string }) {
  const q = useQuery(deliveriesQuery(id));
  if (q.isError) return <p className="outcome-bad">{q.error.message}</p>;
  if (!q.data) return <p className="muted">Loading deliveries…</p>;
  if (q.data.deliveries.length === 0) return <p className="muted">Nothing sent yet.</p>;
  return (
    <table className="delivery-log">
      <caption className="sr-only">Recent deliveries</caption>
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Sent</th>
        </tr>
      </thead>
      <tbody>
        {q.data.deliveries.map((d) => (
          <tr key={d.id}>
            <td>{d.event}</td>
            <td>
              {d.status}
              {d.last_error ? ` - ${d.last_error}` : ""}
            </td>
            <td>{d.attempt_log.map((a) => (a.success ? `✓ ${a.status_code}` : `✗ ${a.status_code ?? a.error}`)).join(", ") || "-"}</td>
            <td>
              <RelativeTime iso={d.created_at} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
