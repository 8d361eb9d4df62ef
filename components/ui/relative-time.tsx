"use client";

import { useEffect, useState } from "react";
import { useHydrated } from "@/components/client/use-hydrated";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400],
  ["month", 30 * 86_400],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

function relative(iso: string, now: number): string {
  const diff = Math.round((new Date(iso).getTime() - now) / 1000);
  if (Math.abs(diff) < 45) return "just now";
  const fmt = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size) return fmt.format(Math.round(diff / size), unit);
  }
  return fmt.format(Math.round(diff / 60), "minute");
}

/** Before hydration: the exact time in UTC (same on server and client). */
const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

/** "3 minutes ago", with the exact local time on hover; re-renders every 20 s. */
export function RelativeTime({ iso }: { iso: string }) {
  const hydrated = useHydrated();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 20_000);
    return () => clearInterval(t);
  }, []);
  // the server's clock and time zone are not the browser's: render UTC until hydrated
  const exact = hydrated ? new Date(iso).toLocaleString() : utc(iso);
  return (
    <time dateTime={iso} title={exact}>
      {hydrated ? relative(iso, now) : utc(iso)}
    </time>
  );
}
