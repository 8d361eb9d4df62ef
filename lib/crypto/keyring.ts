/**
 * A keyring of Fernet keys for rotation: encrypt under the newest key, decrypt under any.
 * No `server-only` import: the key-rotation CLI uses it too.
 */
import { createHash, createHmac, hkdfSync } from "node:crypto";
import { fernetDecrypt, fernetEncrypt, InvalidToken, parseFernetKey, type ParsedKey } from "./fernet";

function rawKey(parsed: ParsedKey): Buffer {
  return Buffer.concat([parsed.signingKey, parsed.encryptionKey]);
}

function idOfRaw(raw: Buffer): string {
  // Domain-separated hash so the id can be stored and logged without revealing anything about the key.
  return createHash("sha256").update("llmhub-key-id:").update(raw).digest("hex").slice(0, 12);
}

/** Short, stable, non-revealing identifier of a Fernet key (12 hex chars). */
export function keyIdOf(key: string): string {
  return idOfRaw(rawKey(parseFernetKey(key)));
}

/**
 * Builds a keyring from Fernet keys, newest (primary) first; duplicates are dropped.
 * @throws Error if no key is given or a key is malformed.
 */
export function createKeyring(keys: string[]) {
  const entries = new Map<string, ParsedKey>(); // insertion order keeps newest first
  for (const key of keys) {
    const parsed = parseFernetKey(key);
    const id = idOfRaw(rawKey(parsed));
    if (!entries.has(id)) entries.set(id, parsed);
  }
  const [first] = entries;
  if (!first) throw new Error("Keyring needs at least one encryption key");
  const [primaryKeyId, primary] = first;
  // A separate derived key, so fingerprints never reuse the encryption key's bytes directly.
  const fingerprintKey = Buffer.from(
    hkdfSync("sha256", rawKey(primary), Buffer.alloc(0), "llmhub-fingerprint-v1", 32),
  );

  return {
    primaryKeyId,
    keyIds: [...entries.keys()],

    /** Encrypts under the primary key and reports which key was used. */
    encrypt(plaintext: string): { token: string; keyId: string } {
      return { token: fernetEncrypt(primary, plaintext), keyId: primaryKeyId };
    },

    /**
     * Decrypts with the key named by `keyId` first when known, then every other key,
     * since a stale or wrong id must not make a still-valid token unreadable.
     * @throws InvalidToken if no key works.
     */
    decrypt(token: string, keyId?: string | null): string {
      const hinted = keyId ? entries.get(keyId) : undefined;
      const candidates = hinted ? [hinted, ...[...entries.values()].filter((k) => k !== hinted)] : [...entries.values()];
      for (const key of candidates) {
        try {
          return fernetDecrypt(key, token).toString("utf8");
        } catch (err) {
          if (!(err instanceof InvalidToken)) throw err;
        }
      }
      throw new InvalidToken();
    },

    /** Deterministic keyed fingerprint ("fp_" + 32 hex) for equality lookups without storing the plaintext. */
    fingerprint(plaintext: string): string {
      return "fp_" + createHmac("sha256", fingerprintKey).update(plaintext, "utf8").digest("hex").slice(0, 32);
    },

    /** Whether a key with this id is in the keyring. */
    hasKey(keyId: string): boolean {
      return entries.has(keyId);
    },
  };
}

/** A keyring built by {@link createKeyring}. */
export type Keyring = ReturnType<typeof createKeyring>;
