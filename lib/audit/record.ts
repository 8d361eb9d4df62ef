import "server-only";
import { insertAuditEvent } from "@/lib/db/queries/audit";
import type { NewAuditEvent } from "@/lib/db/schema";
import type { RequestContext } from "@/lib/call-context";

export type AuditAction =
  | "provider_key.list"
  | "provider_key.info"
  | "provider_key.health"
  | "provider_key.check_all"
  | "provider_key.create"
  | "provider_key.update"
  | "provider_key.patch"
  | "provider_key.delete"
  | "provider_key.test"
  | "provider_key.import"
  | "auth.login"
  | "auth.logout"
  | "auth.me"
  | "api.docs"
  | "user.list"
  | "user.get"
  | "user.create"
  | "user.update"
  | "user.delete"
  | "user.password_reset"
  | "user.password_change"
  | "session.list"
  | "session.revoke"
  | "keys.rotate"
  | "notification.list"
  | "notification.read"
  | "webhook.list"
  | "webhook.create"
  | "webhook.update"
  | "webhook.delete"
  | "webhook.test"
  | "webhook.rotate_secret"
  | "webhook.deliveries"
  | "usage.summary"
  | "usage.timeseries"
  | "usage.export"
  | "usage.dashboard"
  | "usage.price_list"
  | "usage.price_set"
  | "usage.price_delete"
  | "usage.ingest"
  | "hub_key.list"
  | "hub_key.get"
  | "hub_key.create"
  | "hub_key.update"
  | "hub_key.delete"
  | "hub_key.rotate"
  | "audit.read"
  | "audit.export";

export interface AuditInput {
  action: AuditAction;
  outcome: "success" | "failure" | "denied";
  actor?: { id: string; email: string } | null;
  actorEmail?: string | null;
  target?: string | null;
  providerType?: string | null;
  statusCode?: number | null;
  keyFingerprint?: string | null;
  /** Non-secret facts only (error codes, field names); never a key or a password. */
  detail?: Record<string, unknown> | null;
}

/** Writes one append-only audit record. Callers pass fingerprints, never keys. */
export async function recordAudit(input: AuditInput, ctx?: RequestContext | null): Promise<void> {
  await insertAuditEvent(auditEventOf(input, ctx));
}

/** The audit row for an input, for queries that write it in the same transaction as the change. */
export function auditEventOf(input: AuditInput, ctx?: RequestContext | null): NewAuditEvent {
  return {
    action: input.action,
    outcome: input.outcome,
    actorId: input.actor?.id ?? null,
    actorEmail: input.actor?.email ?? input.actorEmail ?? null,
    target: input.target ?? null,
    providerType: input.providerType ?? null,
    statusCode: input.statusCode ?? null,
    keyFingerprint: input.keyFingerprint ?? null,
    detail: input.detail ?? null,
    ip: ctx?.ip ?? null,
    userAgent: ctx?.userAgent?.slice(0, 512) ?? null,
  };
}
