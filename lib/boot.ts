import "server-only";
import { getKeyring, getSessionPasswords } from "@/lib/config/secrets";
import { getDbHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { seedBuiltinProviderRows } from "@/lib/db/queries/provider-keys";
import { getEnv } from "@/lib/env";
import { asAppError } from "@/lib/errors";
import { errorFields, log } from "@/lib/log";
import { builtinRows } from "@/lib/provider-keys/rows";
import { getRedis } from "@/lib/rate-limit/redis";
import { seedPriceTable } from "@/lib/usage/price-cache";
import { bootstrapAdmin } from "@/lib/auth/users";

const g = globalThis as unknown as { __llmhubReady?: Promise<void>; __llmhubAnnounced?: boolean };

/**
 * Everything the app needs before it serves a request: configuration, secrets, the database with
 * its migrations and built-in rows, the first admin. Memoised; a failure (say, the database is
 * down at start) is forgotten so that the next request tries again.
 */
export function ensureReady(opts: { bootstrapAdmin?: boolean } = {}): Promise<void> {
  g.__llmhubReady ??= init(opts.bootstrapAdmin ?? true).catch((err) => {
    g.__llmhubReady = undefined;
    throw asAppError(err);
  });
  return g.__llmhubReady;
}

async function init(withAdmin: boolean): Promise<void> {
  const env = getEnv();
  getKeyring();
  getSessionPasswords();
  const handle = await getDbHandle();
  if (!g.__llmhubAnnounced) {
    g.__llmhubAnnounced = true;
    log.info(`Database: ${handle.describe}`);
    log.info(
      env.REDIS_URL
        ? `Rate limits: Redis at ${new URL(env.REDIS_URL).host} (shared by every instance)`
        : "Rate limits: in-process limiter (REDIS_URL is not set; each instance counts on its own)",
    );
    log.info(`Custom base URL policy: ${env.PROVIDER_URL_POLICY}`);
  }
  getRedis();
  const applied = await migrate(handle.db);
  if (applied) log.info(`Applied ${applied} database migration(s)`);
  await seedBuiltinProviderRows(builtinRows());
  await seedPriceTable();
  // the app creates the first admin; a worker process (npm run worker) leaves that to it
  if (withAdmin) await bootstrapAdmin();
}

/** Called from instrumentation.ts: fail fast on bad configuration, report (and retry later) the rest. */
export async function bootAtStart(): Promise<void> {
  try {
    await ensureReady();
  } catch (err) {
    if (err instanceof Error && (err.name === "ConfigError" || err.message.startsWith("Invalid configuration"))) {
      log.error(`Refusing to start: ${err.message}`);
      process.exit(1);
    }
    log.error("Start-up could not finish; requests will retry it", errorFields(err));
  }
}
