"use client";

import { useEffect, useId, useRef } from "react";

interface Props {
  open: boolean;
  /** Called when the dialog closes by any means: Escape, a close button, or the caller. */
  onClose: () => void;
  title: string;
  /** Shown before the title (a provider logo); decorative, the title carries the words. */
  icon?: React.ReactNode;
  /** Where focus goes when the dialog opens (a CSS selector inside it); else the first control. */
  initialFocus?: string;
  /** Focused after closing if focus would otherwise be lost (the opener was removed meanwhile). */
  fallbackFocusId?: string;
  children: React.ReactNode;
}

/**
 * A modal on the native <dialog> with showModal(): the browser traps focus, makes the page behind
 * inert, closes on Escape and returns focus to the opener. Content is only mounted while open, so
 * every field (and show/hide toggle) starts fresh each time.
 */
export function ModalDialog({ open, onClose, title, icon, initialFocus, fallbackFocusId, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // Kept from while it was open: the caller usually clears its target before the close event fires.
  const fallback = useRef(fallbackFocusId);
  useEffect(() => {
    if (open) fallback.current = fallbackFocusId;
  }, [open, fallbackFocusId]);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      const first = initialFocus ? dialog.querySelector<HTMLElement>(initialFocus) : null;
      first?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open, initialFocus]);

  function handleClose() {
    onClose();
    // The browser refocuses the opener; if that element is gone, land somewhere sensible.
    requestAnimationFrame(() => {
      const id = fallback.current;
      if (id && (document.activeElement === document.body || !document.activeElement)) document.getElementById(id)?.focus();
    });
  }

  return (
    <dialog ref={ref} className="modal" aria-labelledby={titleId} onClose={handleClose}>
      <div className="modal-head">
        <h2 id={titleId}>
          {icon}
          {title}
        </h2>
        <button type="button" className="btn-ghost btn-small" aria-label="Close dialog" onClick={() => ref.current?.close()}>
          ×
        </button>
      </div>
      {open && children}
    </dialog>
  );
}
