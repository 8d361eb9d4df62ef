import "server-only";
import type { Actor, RequestContext } from "@/lib/call-context";
import type { AppError } from "@/lib/errors";
import { errorFields, log } from "@/lib/log";
import { type AuditAction, recordAudit } from "./record";

/** Audits a refused request (401/403); an audit failure is logged, never turned into a 500. */
export async function auditDenied(
  action: AuditAction,
  err: AppError,
  user: Actor | null,
  ctx: RequestContext,
  via: "api" | "server_action",
): Promise<void> {
  try {
    await recordAudit({ action, outcome: "denied", actor: user, statusCode: err.status, detail: { code: err.code, via } }, ctx);
  } catch (auditErr) {
    log.warn("Could not write the audit record of a denied request", errorFields(auditErr));
  }
}
