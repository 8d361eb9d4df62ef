"use client";

import { useCallback, useSyncExternalStore } from "react";

export type View = "cards" | "compact";

const STORAGE_KEY = "llm-hub.provider-keys.view";
/** The compact table needs this much room; below it (phones, narrow windows) the cards are shown. */
export const COMPACT_MIN_WIDTH = "(min-width: 60rem)";
const EVENT = "llm-hub:view-choice";
/** This page's choice when storage refuses it (privacy settings): switched, just not remembered. */
let unsaved: View | null = null;

function readChoice(): View {
  if (unsaved) return unsaved;
  try {
    return localStorage.getItem(STORAGE_KEY) === "compact" ? "compact" : "cards";
  } catch {
    return "cards";
  }
}

function subscribeChoice(onChange: () => void): () => void {
  // "storage" fires when another tab of this browser chooses; our own event for this tab
  const fromOtherTab = (e: StorageEvent) => e.key === STORAGE_KEY && onChange();
  window.addEventListener("storage", fromOtherTab);
  window.addEventListener(EVENT, onChange);
  return () => {
    window.removeEventListener("storage", fromOtherTab);
    window.removeEventListener(EVENT, onChange);
  };
}

function subscribeWidth(onChange: () => void): () => void {
  const mq = window.matchMedia(COMPACT_MIN_WIDTH);
  mq.addEventListener("change", onChange);
  return () => mq.removeEventListener("change", onChange);
}

/**
 * The Provider Keys view this browser chose (kept in localStorage), and the one shown: the server
 * renders cards (it cannot know the choice), and narrow screens get cards whatever was chosen.
 */
export function useViewChoice(): { choice: View; shown: View; wide: boolean; choose: (v: View) => void } {
  const choice = useSyncExternalStore(subscribeChoice, readChoice, () => "cards" as View);
  const wide = useSyncExternalStore(subscribeWidth, () => window.matchMedia(COMPACT_MIN_WIDTH).matches, () => true);
  const choose = useCallback((v: View) => {
    try {
      localStorage.setItem(STORAGE_KEY, v);
      unsaved = null;
    } catch {
      unsaved = v;
    }
    window.dispatchEvent(new Event(EVENT));
  }, []);
  return { choice, shown: wide ? choice : "cards", wide, choose };
}
