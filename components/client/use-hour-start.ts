"use client";

import { useSyncExternalStore } from "react";

const HOUR_MS = 3600_000;
const hourStart = () => Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
const subscribe = (onChange: () => void) => {
  const id = setInterval(onChange, 30_000);
  return () => clearInterval(id);
};

/**
 * The start of the current hour (ms), re-rendering when the hour turns. Usage views end at the end
 * of the current hour, so their requests (and cache keys) stay the same for the whole hour.
 */
export function useHourStart(): number {
  return useSyncExternalStore(subscribe, hourStart, hourStart);
}
