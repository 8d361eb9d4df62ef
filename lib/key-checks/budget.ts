import "server-only";
import { type AuditAction, recordAudit } from "@/lib/audit/record";
import type { CallContext } from "@/lib/call-context";
import { AppError } from "@/lib/errors";
import { getLimiter, type LimitResult } from "@/lib/rate-limit/limiter";

/**
 * Spends one unit of the caller's key-test budget (shared by test and save). A refusal is audited
 * and thrown as `rate_limited`; an admitted spend is returned, for the answer's rate-limit headers.
 */
export async function spendKeyTest(call: CallContext, action: AuditAction, providerType: string): Promise<LimitResult> {
  const limit = await getLimiter("key-test").limit(call.actor.id);
  if (!limit.success) {
    await recordAudit({ action, outcome: "denied", actor: call.actor, providerType, statusCode: 429 }, call.request);
    throw new AppError("rate_limited", `Rate limit exceeded. Maximum ${limit.limit} tests per minute.`, { limit });
  }
  return limit;
}
