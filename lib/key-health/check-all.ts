import "server-only";
import { recordAudit } from "@/lib/audit/record";
import { makeAllKeysDue } from "@/lib/db/queries/scheduler";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { CallContext } from "@/lib/call-context";
import { tickMsFor } from "./schedule-math";

/** "Check all now": every enabled key becomes due; the background checker picks them up on its next tick. */
export async function checkAllNow(call: CallContext) {
  const seconds = getEnv().HEALTH_CHECK_INTERVAL_SECONDS;
  if (seconds === 0) throw new AppError("checks_disabled", "Background checks are off (HEALTH_CHECK_INTERVAL_SECONDS=0); test keys one by one instead");
  const scheduled = await makeAllKeysDue(new Date());
  await recordAudit({ action: "provider_key.check_all", outcome: "success", actor: call.actor, statusCode: 202, detail: { scheduled } }, call.request);
  log.info(`Admin ${call.actor.email} asked for a check of all keys (${scheduled} enabled rows)`);
  const within = Math.floor(tickMsFor(seconds * 1000) / 1000); // due keys are picked up at the next tick
  return { success: true as const, scheduled, message: `${scheduled} enabled provider row(s) will be checked within about ${within} s` };
}
