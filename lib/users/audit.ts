import "server-only";
import { auditEventOf, type AuditAction } from "@/lib/audit/record";
import type { ServiceCall } from "@/lib/call-context";

/** The audit record of a change to a user's account or sessions: who did it, to whom, and what (never a password). */
export function userAudit(call: ServiceCall, action: AuditAction, target: { id: string; email: string }, statusCode: number, detail: Record<string, unknown>) {
  return auditEventOf(
    {
      action,
      outcome: "success",
      actor: call.actor.id ? { id: call.actor.id, email: call.actor.email } : null,
      actorEmail: call.actor.email,
      target: target.id,
      statusCode,
      detail: { email: target.email, ...detail },
    },
    call.request,
  );
}
