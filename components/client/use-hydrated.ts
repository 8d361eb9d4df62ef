"use client";

import { useSyncExternalStore } from "react";

/**
 * True once React has attached its handlers to a server-rendered page. Pages put it in a
 * `data-hydrated` attribute, which the browser tests wait for before they click.
 */
export function useHydrated(): boolean {
  // false on the server and while hydrating, true from the first client render after it
  return useSyncExternalStore(subscribeNever, () => true, () => false);
}

const subscribeNever = () => () => {};
