import "server-only";
import { getEnv } from "@/lib/env";
import { PROVIDERS, type ProviderType } from "@/lib/providers/catalogue";

/** The environment fallback key of a built-in provider (the first of its variables that is set). */
export function envKeyFor(type: ProviderType): string | null {
  const env = getEnv() as unknown as Record<string, string | undefined>;
  for (const name of PROVIDERS[type].envVars) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return null;
}
