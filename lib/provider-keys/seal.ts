import "server-only";
import { getKeyring } from "@/lib/config/secrets";
import { maskKey } from "./mask";

/**
 * What a row stores for a key: the Fernet token under the newest encryption key, its preview and
 * its fingerprint. Every path that stores a key (a save, an import) stores it this way.
 */
export function sealKey(key: string) {
  const keyring = getKeyring();
  const { token, keyId } = keyring.encrypt(key);
  return { encryptedKey: token, encryptionKeyId: keyId, keyPreview: maskKey(key), keyFingerprint: keyring.fingerprint(key), checkBackoff: 0 };
}
