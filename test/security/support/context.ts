/**
 * What the security global setup hands to the test files, beyond the keys the shared helpers in
 * test/support already read (baseUrl, logPath, databaseUrl, keysFile, sessionSecret, cliEnv, ...).
 */
import { inject } from "vitest";
import type { Credentials } from "../../support/context";

export const SEC_ADMINS = ["fuzz", "session", "csrf", "ssrf", "misc", "burst", "lockout", "gateway"] as const;
export type SecAdmin = (typeof SEC_ADMINS)[number];

export interface SecUsers {
  admins: Record<SecAdmin, Credentials>;
  viewer: Credentials;
  /** An admin that a test disables with the users CLI while signed in. */
  toDisable: Credentials;
}

declare module "vitest" {
  export interface ProvidedContext {
    secUsers: SecUsers;
    /** A custom-endpoint fake on a non-loopback address the default `private` policy allows ("" if none). */
    lanUrl: string;
    /** That address ("" if none). */
    lanHost: string;
    /** Where every file appends what it sent and what the audit log should now hold (JSON lines). */
    tallyFile: string;
    /** The random seed of this run's generators (FUZZ_SEED reproduces a run). */
    fuzzSeed: number;
    /** Whether the build has GET /keys/{id}/health. */
    hasHealthRoute: boolean;
    /**
     * The second instance (same database and Redis): TRUST_PROXY=1, default rate limits, url policy
     * `any`. A request names its client address in X-Forwarded-For, as the proxy in front would.
     */
    proxiedUrl: string;
    /** That instance's log. */
    proxiedLogPath: string;
  }
}

export const secAdmin = (p: SecAdmin): Credentials => inject("secUsers").admins[p];
export const secUsers = (): SecUsers => inject("secUsers");
