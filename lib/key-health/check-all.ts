import "server-only";
import { recordAudit } from "@/lib/audit/record";
import { makeAllKeysDue } from "@/lib/db/queries/scheduler";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { envKeyFor } from "@/lib/key-checks/env-keys";
import { log } from "@/lib/log";
import { PROVIDER_TYPES } from "@/lib/providers/catalogue";
import type { CallContext } from "@/lib/call-context";
import { tickMsFor } from "./schedule-math";

/**
 * "Check all now": every enabled row with a key (stored, or the environment's for a built-in
 * provider) becomes due; the background checker picks them up on its next tick. Rows without a key
 * have nothing to check: they are neither made due nor counted.
 */
export async function checkAllNow(call: CallContext) {
  const seconds = getEnv().HEALTH_CHECK_INTERVAL_SECONDS;
  if (seconds === 0) throw new AppError("checks_disabled", "Background checks are off (HEALTH_CHECK_INTERVAL_SECONDS=0); test keys one by one instead");
  const envKeyTypes = PROVIDER_TYPES.filter((t) => t !== "custom" && envKeyFor(t) !== null);
  const scheduled = await makeAllKeysDue(new Date(), envKeyTypes);
  await recordAudit({ action: "provider_key.check_all", outcome: "success", actor: call.actor, statusCode: 202, detail: { scheduled } }, call.request);
  log.info(`Admin ${call.actor.email} asked for a check of all keys (${scheduled} rows with a key)`);
  const within = Math.floor(tickMsFor(seconds * 1000) / 1000); // due keys are picked up at the next tick
  return { success: true as const, scheduled, message: `${scheduled} provider key(s) will be checked within about ${within} s` };
}
