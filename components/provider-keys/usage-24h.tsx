"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useHourStart } from "@/components/client/use-hour-start";
import { perProviderKeyQuery } from "@/components/usage/queries";

const HOUR_MS = 3600_000;

/** The start of the 24 hourly buckets that end with the current hour. */
const windowStart = (hourStart: number) => new Date(hourStart - 23 * HOUR_MS).toISOString();

/** 24 values (oldest first) from an hourly series that leaves empty hours out. */
export function hourlyValues(points: readonly { t: string; requests: number }[], from: string): number[] {
  const start = Date.parse(from);
  const out = new Array<number>(24).fill(0);
  for (const p of points) {
    const i = Math.round((Date.parse(p.t) - start) / HOUR_MS);
    if (i >= 0 && i < 24) out[i]! += p.requests;
  }
  return out;
}

function Sparkline({ values }: { values: number[] }) {
  const max = Math.max(1, ...values);
  const w = 96;
  const h = 22;
  const points = values.map((v, i) => `${((i / (values.length - 1)) * w).toFixed(1)},${(h - 1 - (v / max) * (h - 2)).toFixed(1)}`).join(" ");
  return (
    <svg className="sparkline" viewBox={`0 0 ${w} ${h}`} width={w} height={h} aria-hidden="true" focusable="false">
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
    </svg>
  );
}

/**
 * A card's "requests in the last 24 h": the count and a sparkline of its hours, linking to the
 * Usage tab filtered to this provider key. One request serves every card (react-query shares it).
 */
export function Usage24h({ providerKeyId, name }: { providerKeyId: string; name: string }) {
  const from = windowStart(useHourStart());
  const query = useQuery(perProviderKeyQuery(from));
  if (!query.data) return <span className="muted">{query.isError ? "Not available" : "…"}</span>;
  const values = hourlyValues(query.data.series.find((s) => s.provider_key_id === providerKeyId)?.points ?? [], from);
  const total = values.reduce((a, n) => a + n, 0);
  return (
    <Link className="usage-24h" href={`/llm-hub/usage?range=24h&group=model&provider_key=${providerKeyId}`}>
      <Sparkline values={values} />
      <span>
        {total.toLocaleString()} request{total === 1 ? "" : "s"}
        <span className="sr-only"> through {name} in the last 24 hours: open its usage</span>
      </span>
    </Link>
  );
}
