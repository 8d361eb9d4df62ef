"use client";

import type { ReactNode } from "react";
import { explainFailure } from "@/components/client/action-call";
import { useToast } from "@/components/ui/toaster";

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

/** The part of a react-query mutation (no variables) that a confirmation runs. */
interface ConfirmedMutation<T> {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  mutate: (variables: undefined, options: { onSuccess: (data: T) => void }) => void;
}

/**
 * A confirmation whose action either removes something (a danger button; on success a toast and the
 * dialog closes) or renews its secret (the new secret, shown once, goes to `onRenewed`).
 */
export function ConfirmRemoveOrRenew<T>(p: {
  renew: boolean;
  run: ConfirmedMutation<T>;
  secretOf: (data: T) => string | null | undefined;
  onRenewed: (secret: string) => void;
  /** The toast after a removal. */
  removed: string;
  message: ReactNode;
  label: string;
  pendingLabel: string;
  onCancel: () => void;
}) {
  const toast = useToast();
  const { run } = p;
  return (
    <ConfirmActions
      message={p.message}
      danger={!p.renew}
      label={p.label}
      pendingLabel={p.pendingLabel}
      pending={run.isPending}
      error={run.isError ? run.error : null}
      onCancel={p.onCancel}
      onConfirm={() =>
        run.mutate(undefined, {
          onSuccess: (data) => {
            const secret = p.secretOf(data);
            if (p.renew && secret) p.onRenewed(secret);
            else {
              toast(p.removed, "success");
              p.onCancel();
            }
          },
        })
      }
    />
  );
}
