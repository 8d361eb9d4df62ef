"use client";

import type { ReactNode } from "react";
import { explainFailure } from "@/components/client/action-call";

/**
 * The body of a confirmation dialog: what will happen, the mutation's failure if any, and Cancel /
 * the action (focus starts on Cancel; the action is inert while it runs).
 */
export function ConfirmActions(p: {
  message: ReactNode;
  danger: boolean;
  label: string;
  pendingLabel: string;
  pending: boolean;
  error: unknown;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  return (
    <div>
      <p>{p.message}</p>
      <div role="alert" className="form-error">
        {p.error ? <p className="error">{explainFailure(p.error)}</p> : null}
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn-secondary" onClick={p.onCancel} data-initial-focus>
          Cancel
        </button>
        <button type="button" className={p.danger ? "btn-danger-solid" : "btn-primary"} aria-disabled={p.pending} onClick={() => !p.pending && p.onConfirm()}>
          {p.pending ? p.pendingLabel : p.label}
        </button>
      </div>
    </div>
  );
}
