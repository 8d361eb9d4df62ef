/**
 * What the integration global setup hands to the test files (vitest `provide` / `inject`), and small
 * accessors over it.
 */
import { inject } from "vitest";

export type TestMode = "services" | "zero-setup";

export interface Credentials {
  email: string;
  password: string;
}

/**
 * One admin per concern, because the key-test budget (10 per rolling minute) is per user and shared
 * by test and save: a file that spends it must not starve the next one.
 */
export const ADMIN_PURPOSES = [
  "auth",
  "list",
  "save",
  "concurrent1",
  "concurrent2",
  "concurrent3",
  "test-providers",
  "test-failures1",
  "test-failures2",
  "ratelimit",
  "csrf",
  "crud",
  "audit",
  "rotate",
  "health",
  "alerts",
  "alerts-save",
  "save-duplicates",
  "webhooks",
  "compat",
  "usage",
  "gateway",
  "gateway-errors",
  "gateway-native",
  "gateway-usage",
  "hub-keys-month",
  "dev-prod",
  "gateway-cache",
  "credits",
  "ingest",
  "audit-log",
] as const;
export type AdminPurpose = (typeof ADMIN_PURPOSES)[number];

export interface TestUsers {
  admins: Record<AdminPurpose, Credentials>;
  /** ADMIN_EMAIL / ADMIN_PASSWORD: created by the server at start. */
  bootstrap: Credentials;
  viewer: Credentials;
  /** An admin that a test disables with the users CLI while signed in. */
  toDisable: Credentials;
  /** An account whose sign-in budget a test exhausts. */
  lockout: Credentials;
}

export interface InitialList {
  success: boolean;
  total: number;
  providers: import("./api").ProviderRow[];
}

declare module "vitest" {
  export interface ProvidedContext {
    mode: TestMode;
    baseUrl: string;
    logPath: string;
    /** services mode only (else ""). */
    databaseUrl: string;
    /** zero-setup mode only (else ""). */
    dataDir: string;
    /** services mode only (else ""). */
    redisUrl: string;
    encryptionKey: string;
    sessionSecret: string;
    fakeUrl: string;
    fakeBaseUrls: Record<string, string>;
    /** The MISTRAL_API_KEY the server was started with (environment fallback). */
    mistralEnvKey: string;
    users: TestUsers;
    serverPid: number;
    /** The app server's whole environment (a second instance of it starts with the same). */
    serverEnv: Record<string, string>;
    /** Environment for running the project's CLIs against the same database. */
    cliEnv: Record<string, string>;
    /** Where every generated key is recorded (see keys.ts). */
    keysFile: string;
    timeoutMs: number;
    /** GET /keys as the bootstrap admin right after start, before any test ran. */
    initialList: InitialList;
  }
}

export const mode = (): TestMode => inject("mode");
export const isServices = (): boolean => inject("mode") === "services";
export const admin = (purpose: AdminPurpose): Credentials => inject("users").admins[purpose];
export const users = (): TestUsers => inject("users");

/** The reason given when a test needs the users or keys CLI while the server holds PGlite. */
export const PGLITE_HELD =
  "zero-setup mode: the running server holds the embedded PGlite database, so a CLI cannot open it meanwhile";
