import { z } from "zod";

/**
 * The one place that reads process.env. Parsed once, on first use, so that command-line tools and
 * the server share the same rules and messages.
 */
const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = (name: string) =>
  z.preprocess(emptyToUndefined, z.url({ message: `${name} must be a URL` }).optional());

/** The shortest password the app accepts, for ADMIN_PASSWORD and for the users CLI alike. */
export const MIN_PASSWORD_LENGTH = 12;

const TRUST_PROXY_RULE = "TRUST_PROXY must be false, true (one proxy) or the number of proxies in front of the app (0-10)";
/** false = 0 proxies, true = 1; a number counts the proxies whose X-Forwarded-For entries are trusted. */
const trustedHops = z.preprocess(
  (v) => {
    const s = emptyToUndefined(v);
    return s === undefined || s === "false" ? 0 : s === "true" ? 1 : s;
  },
  z.coerce.number({ error: TRUST_PROXY_RULE }).int({ error: TRUST_PROXY_RULE }).min(0, { error: TRUST_PROXY_RULE }).max(10, { error: TRUST_PROXY_RULE }),
);

const flag = z.preprocess(emptyToUndefined, z.enum(["true", "false", "1", "0"]).optional()).transform((v) =>
  v === undefined ? undefined : v === "true" || v === "1",
);

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optionalUrl("DATABASE_URL"),
  DATABASE_POOL_MAX: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100).default(10)),
  /** false: every statement unnamed, for a pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21). */
  DATABASE_PREPARE: flag,
  REDIS_URL: optionalUrl("REDIS_URL"),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default(".data")),
  BYOK_ENCRYPTION_KEY: optionalString,
  BYOK_ENCRYPTION_KEYS: optionalString,
  /** Only for `npm run import:ops-center`: the old service's BYOK_ENCRYPTION_KEY (ours stays BYOK_ENCRYPTION_KEY). */
  OPS_CENTER_ENCRYPTION_KEY: optionalString,
  SESSION_SECRET: optionalString,
  SESSION_TTL_HOURS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(24 * 90).default(12)),
  COOKIE_SECURE: flag,
  /** The API reference (/docs/api and /api/v1/openapi.json) without signing in; off by default. */
  API_DOCS_PUBLIC: flag,
  ADMIN_EMAIL: optionalString,
  ADMIN_PASSWORD: z.preprocess(
    emptyToUndefined,
    z.string().min(MIN_PASSWORD_LENGTH, { error: `ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters` }).optional(),
  ),
  ALLOWED_ORIGINS: optionalString,
  TRUST_PROXY: trustedHops,
  PROVIDER_URL_POLICY: z.preprocess(emptyToUndefined, z.enum(["public", "private", "any"]).default("private")),
  PROVIDER_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(120_000).default(10_000)),
  KEY_TESTS_PER_MINUTE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1_000_000).default(10)),
  HEALTH_CHECK_INTERVAL_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(7 * 24 * 3600).default(900)),
  HEALTH_CHECK_CONCURRENCY: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(64).default(4)),
  HEALTH_CHECKS_IN_APP: flag,
  HEALTH_HISTORY_RETENTION_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(3650).default(30)),
  /** A key degraded (provider rate limit or outage) this long raises an alert; recovery alerts follow. */
  ALERT_DEGRADED_AFTER_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(7 * 24 * 3600).default(1800)),
  /** First reminder while a key stays bad; later ones double, up to a day apart. 0 = no reminders. */
  ALERT_REMINDER_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(7 * 24 * 3600).default(3600)),
  /** An OpenRouter key with less credit left than this (US dollars) raises `key.low_credit`, once until it recovers. */
  OPENROUTER_LOW_CREDIT_USD: z.preprocess(emptyToUndefined, z.coerce.number({ error: "OPENROUTER_LOW_CREDIT_USD must be a number of US dollars" }).min(0).max(1_000_000).default(5)),
  /** Webhook retries wait base x 2^(attempt-1) seconds (fractions allowed); a delivery gives up after the last attempt. */
  WEBHOOK_RETRY_BASE_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().min(0.05).max(3600).default(30)),
  WEBHOOK_MAX_ATTEMPTS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(20).default(6)),
  WEBHOOK_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(60_000).default(10_000)),
  /** Gateway usage records are kept this many days, then dropped a whole day (partition) at a time. */
  USAGE_RETENTION_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(3650).default(90)),
  /** The hourly rollups every report reads are kept this long. */
  USAGE_ROLLUP_RETENTION_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(3650).default(730)),
  /** Usage records per write statement, and how long a record may wait for its batch to fill. */
  USAGE_BATCH_SIZE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(5000).default(1000)),
  USAGE_FLUSH_INTERVAL_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(10).max(60_000).default(1000)),
  /** Usage records held in memory while the database is away; more are dropped (and the count logged). */
  USAGE_QUEUE_MAX: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(10_000_000).default(50_000)),
  /** How long one instance reuses a hub key's month spend for the budget check before reading it again. */
  USAGE_BUDGET_CACHE_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().min(0).max(300).default(5)),
  /** Node's libuv thread pool size (read by Node itself); sizes the scrypt concurrency limit. */
  UV_THREADPOOL_SIZE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1024).default(4)),
  /** The gateway's bound on a request body (gateway.md section 3), counted while it is read. */
  GATEWAY_MAX_BODY_BYTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(10 * 1024 * 1024)),
  /** The gateway's bound on the time to a provider's first byte, and on the idle time between chunks. */
  GATEWAY_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(3_600_000).default(600_000)),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(["debug", "info", "warn", "error"]).default("info")),
  PROVIDER_BASE_URL_OPENROUTER: optionalUrl("PROVIDER_BASE_URL_OPENROUTER"),
  PROVIDER_BASE_URL_OPENAI: optionalUrl("PROVIDER_BASE_URL_OPENAI"),
  PROVIDER_BASE_URL_ANTHROPIC: optionalUrl("PROVIDER_BASE_URL_ANTHROPIC"),
  PROVIDER_BASE_URL_GOOGLE: optionalUrl("PROVIDER_BASE_URL_GOOGLE"),
  PROVIDER_BASE_URL_COHERE: optionalUrl("PROVIDER_BASE_URL_COHERE"),
  PROVIDER_BASE_URL_GROQ: optionalUrl("PROVIDER_BASE_URL_GROQ"),
  PROVIDER_BASE_URL_TOGETHER: optionalUrl("PROVIDER_BASE_URL_TOGETHER"),
  PROVIDER_BASE_URL_MISTRAL: optionalUrl("PROVIDER_BASE_URL_MISTRAL"),
  OPENROUTER_API_KEY: optionalString,
  OPENAI_API_KEY: optionalString,
  ANTHROPIC_API_KEY: optionalString,
  GOOGLE_API_KEY: optionalString,
  GEMINI_API_KEY: optionalString,
  COHERE_API_KEY: optionalString,
  GROQ_API_KEY: optionalString,
  TOGETHER_API_KEY: optionalString,
  MISTRAL_API_KEY: optionalString,
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** Parses process.env once; throws one message that names every bad variable. */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

export const isProduction = () => getEnv().NODE_ENV === "production";

/** Comma-separated list helper for *_KEYS / SESSION_SECRET / ALLOWED_ORIGINS. */
export function splitList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}
