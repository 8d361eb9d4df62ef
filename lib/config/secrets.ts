import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateFernetKey } from "@/lib/crypto/fernet";
import { createKeyring, type Keyring } from "@/lib/crypto/keyring";
import { getEnv, isProduction, splitList } from "@/lib/env";
import { log } from "@/lib/log";
import { privateDataDir } from "./data-dir";

export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * In development without the variable, a secret is kept in a local file under DATA_DIR (created
 * once, mode 0600) and the log says so loudly. Production never does this: it refuses to start.
 */
function localSecret(variable: string, file: string, make: () => string, howTo: string, lossMeans: string): string {
  if (isProduction()) {
    throw new ConfigError(`${variable} is required in production. ${howTo}`);
  }
  const full = path.join(privateDataDir(), file);
  if (existsSync(full)) return readFileSync(full, "utf8").trim();
  try {
    writeFileSync(full, `${make()}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(full, 0o600);
  } catch (err) {
    // another process created it first: use theirs
    if ((err as { code?: string }).code !== "EEXIST") throw err;
    return readFileSync(full, "utf8").trim();
  }
  log.warn(
    `!!! ${variable} is not set: created a development-only secret in ${full}. ` +
      `If that file is lost, ${lossMeans}. Set ${variable} before real use. ${howTo}`,
  );
  return readFileSync(full, "utf8").trim();
}

let keyring: Keyring | undefined;

/** The Fernet keyring: BYOK_ENCRYPTION_KEY first (newest), then BYOK_ENCRYPTION_KEYS in order. */
export function getKeyring(): Keyring {
  if (keyring) return keyring;
  const env = getEnv();
  const keys = [env.BYOK_ENCRYPTION_KEY, ...splitList(env.BYOK_ENCRYPTION_KEYS)].filter((k): k is string => !!k);
  if (keys.length === 0) {
    keys.push(
      localSecret(
        "BYOK_ENCRYPTION_KEY",
        "encryption.key",
        generateFernetKey,
        `Make one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64url')+'=')"`,
        "every stored key is lost",
      ),
    );
  }
  try {
    keyring = createKeyring(keys);
  } catch (err) {
    throw new ConfigError(`BYOK_ENCRYPTION_KEY(S): ${(err as Error).message}`);
  }
  return keyring;
}

let sessionPasswords: Record<number, string> | undefined;

/** iron-session's password map: the newest secret gets the highest id, so it seals new cookies. */
export function getSessionPasswords(): Record<number, string> {
  if (sessionPasswords) return sessionPasswords;
  let secrets = splitList(getEnv().SESSION_SECRET);
  if (secrets.length === 0) {
    secrets = [
      localSecret(
        "SESSION_SECRET",
        "session.secret",
        () => randomBytes(32).toString("base64url"),
        `Make one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`,
        "everyone is signed out",
      ),
    ];
  }
  const short = secrets.findIndex((s) => s.length < 32);
  if (short >= 0) throw new ConfigError(`SESSION_SECRET: secret #${short + 1} is shorter than 32 characters`);
  sessionPasswords = Object.fromEntries(secrets.map((s, i) => [secrets.length - i, s]));
  return sessionPasswords;
}
