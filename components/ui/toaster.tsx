"use client";

import { createContext, useCallback, useContext, useMemo, useRef, useState } from "react";

type Tone = "success" | "error" | "info";
interface Toast {
  id: number;
  message: string;
  tone: Tone;
}

const ToastContext = createContext<(message: string, tone?: Tone) => void>(() => {});

/** Shows a short message; screen readers announce it (the region is polite and always present). */
export const useToast = () => useContext(ToastContext);

const LIFETIME_MS = 7_000;

export function Toaster({ children }: { children: React.ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const toast = useCallback(
    (message: string, tone: Tone = "info") => {
      const id = next.current++;
      // Added a moment later: a toast raised as a modal dialog closes must land after the page
      // behind it is no longer inert, or screen readers would not announce it.
      setTimeout(() => setToasts((all) => [...all.slice(-3), { id, message, tone }]), 100);
      setTimeout(() => dismiss(id), tone === "error" ? LIFETIME_MS * 2 : LIFETIME_MS);
    },
    [dismiss],
  );
  const value = useMemo(() => toast, [toast]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite" aria-label="Notifications">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`}>
            <span>{t.message}</span>
            <button type="button" className="btn-ghost btn-small" onClick={() => dismiss(t.id)} aria-label="Dismiss notification">
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
