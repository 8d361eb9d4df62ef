import type { KeyTestResult } from "./types";

export type HealthStatus = "healthy" | "degraded" | "unhealthy" | "unknown";

/**
 * One vocabulary everywhere: a provider's rate limit, outage or slowness says nothing bad about the
 * key itself (degraded); a refused, forbidden or unfunded key is unhealthy. Pure, so the UI can use it.
 */
export function healthOf(result: Pick<KeyTestResult, "success" | "error_code">): HealthStatus {
  if (result.success) return "healthy";
  switch (result.error_code) {
    case "rate_limited":
    case "provider_error":
    case "timeout":
    case "unreachable":
      return "degraded";
    case "not_configured":
      return "unknown";
    default:
      return "unhealthy";
  }
}
