"use client";

import { useEffect, useState } from "react";

/**
 * True once React has attached its handlers to a server-rendered page. Pages put it in a
 * `data-hydrated` attribute, which the browser tests wait for before they click.
 */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
