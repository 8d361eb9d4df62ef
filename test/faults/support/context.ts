/**
 * What the fault suite's global setup hands to its test files. It provides the integration suite's
 * keys that the shared helpers read (keysFile for the leak check, databaseUrl for withSql, logPath,
 * fakeUrl, fakeBaseUrls, timeoutMs) plus its own below. There is no suite-wide app: each file
 * starts its own instance (support/app-server.ts, useApp) and passes its URL to the client.
 */
import { inject } from "vitest";
import type { Credentials } from "../../support/context";

export const FAULT_ADMINS = ["pg", "redis", "provider", "race", "gateway"] as const;
export type FaultAdmin = (typeof FAULT_ADMINS)[number];

declare module "vitest" {
  export interface ProvidedContext {
    /** One CLI-created admin per test file. */
    faultsAdmins: Record<FaultAdmin, Credentials>;
    /** Scratch directory of the run (Redis's working directory and log). */
    faultsDir: string;
    /** Major version of the faults Postgres cluster. */
    faultsPgVersion: string;
    /** The environment `next start` runs with (services, secrets, fake provider URLs, limits). */
    faultsServerEnv: Record<string, string>;
    faultsFakePort: number;
  }
}

export const faultAdmin = (which: FaultAdmin): Credentials => inject("faultsAdmins")[which];
