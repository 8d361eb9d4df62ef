import "server-only";
import { insertHealthCheck } from "@/lib/db/queries/health-checks";
import type { HealthCheck } from "@/lib/db/schema";
import type { KeyTestResult } from "@/lib/providers/types";
import { healthOf } from "@/lib/providers/health";

/** Adds one check of a stored (or environment) key to its health history. */
export async function recordHealthCheck(providerKeyId: string, trigger: HealthCheck["trigger"], result: KeyTestResult) {
  await insertHealthCheck({
    providerKeyId,
    trigger,
    checkedAt: new Date(result.tested_at),
    outcome: healthOf(result),
    errorCode: result.error_code,
    statusCode: result.status_code,
    latencyMs: result.latency_ms,
    modelsFound: result.models_found,
  });
}
