import "server-only";
import { insertHealthCheckIfKeyHeld } from "@/lib/db/queries/health-checks";
import type { HealthCheck } from "@/lib/db/schema";
import { healthOf } from "@/lib/providers/health";
import type { KeyTestResult } from "@/lib/providers/types";

/**
 * Adds one check of a stored key (or, with fingerprint null, the environment key) to its health
 * history, unless the row no longer holds that key.
 */
export async function recordHealthCheck(
  providerKeyId: string,
  fingerprint: string | null,
  trigger: HealthCheck["trigger"],
  result: KeyTestResult,
) {
  await insertHealthCheckIfKeyHeld(
    {
      providerKeyId,
      trigger,
      checkedAt: new Date(result.tested_at),
      outcome: healthOf(result),
      errorCode: result.error_code,
      statusCode: result.status_code,
      latencyMs: result.latency_ms,
      modelsFound: result.models_found,
    },
    fingerprint,
  );
}
