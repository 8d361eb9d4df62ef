import "server-only";
import { configChanged } from "@/lib/config-version/version";
import { recordAudit } from "@/lib/audit/record";
import { getKeyring } from "@/lib/config/secrets";
import { listRowsToReencrypt, replaceCiphertext } from "@/lib/db/queries/provider-keys";
import { listWebhooksToReencrypt, replaceWebhookCiphertext } from "@/lib/db/queries/webhooks";

export interface RotationProgress {
  done: number;
  total: number;
  name: string;
  outcome: "rotated" | "would-rotate" | "undecryptable" | "changed-meanwhile";
}

export interface RotationSummary {
  rotated: number;
  wouldRotate: number;
  undecryptable: number;
  skipped: number;
  remaining: number;
  stopped: boolean;
  /** Webhooks (URL and signing secret) re-encrypted, or that would be in a dry run. */
  webhooks: number;
}

/**
 * Re-encrypts every stored key that is not under the newest encryption key, a row at a time with a
 * compare-and-set on the old ciphertext: it can be stopped (shouldStop) and run again at any point,
 * and a save that races it is never overwritten. Dry run decrypts to check, and writes nothing.
 */
export async function rotateStoredKeys(opts: {
  dryRun: boolean;
  batchSize?: number;
  onProgress?: (p: RotationProgress) => void;
  shouldStop?: () => boolean;
}): Promise<RotationSummary> {
  const keyring = getKeyring();
  const batchSize = opts.batchSize ?? 100;
  const seen = new Set<string>();
  const summary: RotationSummary = { rotated: 0, wouldRotate: 0, undecryptable: 0, skipped: 0, remaining: 0, stopped: false, webhooks: 0 };
  let total = (await listRowsToReencrypt(keyring.primaryKeyId, 1_000_000)).length;
  let done = 0;

  for (;;) {
    // Rows that could not be rotated stay in the result; `seen` keeps us from looping on them.
    const batch = (await listRowsToReencrypt(keyring.primaryKeyId, batchSize + seen.size)).filter((r) => !seen.has(r.id));
    if (batch.length === 0) break;
    for (const row of batch.slice(0, batchSize)) {
      if (opts.shouldStop?.()) {
        summary.stopped = true;
        summary.remaining = total - done;
        return summary;
      }
      seen.add(row.id);
      done++;
      let plaintext: string;
      try {
        plaintext = keyring.decrypt(row.encryptedKey ?? "", row.encryptionKeyId);
      } catch {
        summary.undecryptable++;
        opts.onProgress?.({ done, total, name: row.name, outcome: "undecryptable" });
        continue;
      }
      if (opts.dryRun) {
        summary.wouldRotate++;
        opts.onProgress?.({ done, total, name: row.name, outcome: "would-rotate" });
        continue;
      }
      const { token, keyId } = keyring.encrypt(plaintext);
      const ok = await replaceCiphertext(row.id, row.encryptedKey ?? "", {
        encryptedKey: token,
        encryptionKeyId: keyId,
        keyFingerprint: keyring.fingerprint(plaintext),
      });
      if (ok) {
        summary.rotated++;
        await configChanged();
      }
      else summary.skipped++;
      opts.onProgress?.({ done, total, name: row.name, outcome: ok ? "rotated" : "changed-meanwhile" });
    }
    if (done > total) total = done;
  }

  // webhook URLs and signing secrets live under the same keyring
  for (const hook of await listWebhooksToReencrypt(keyring.primaryKeyId)) {
    if (opts.shouldStop?.()) {
      summary.stopped = true;
      return summary;
    }
    const name = `webhook ${hook.name}`;
    let url: string;
    let secret: string;
    try {
      url = keyring.decrypt(hook.encryptedUrl, hook.encryptionKeyId);
      secret = keyring.decrypt(hook.encryptedSecret, hook.encryptionKeyId);
    } catch {
      summary.undecryptable++;
      opts.onProgress?.({ done, total, name, outcome: "undecryptable" });
      continue;
    }
    if (opts.dryRun) {
      summary.webhooks++;
      opts.onProgress?.({ done, total, name, outcome: "would-rotate" });
      continue;
    }
    const encUrl = keyring.encrypt(url);
    const ok = await replaceWebhookCiphertext(hook.id, hook.encryptedSecret, { encryptedUrl: encUrl.token, encryptedSecret: keyring.encrypt(secret).token, encryptionKeyId: encUrl.keyId });
    if (ok) summary.webhooks++;
    else summary.skipped++;
    opts.onProgress?.({ done, total, name, outcome: ok ? "rotated" : "changed-meanwhile" });
  }
  if (!opts.dryRun) {
    await recordAudit({
      action: "keys.rotate",
      outcome: summary.undecryptable ? "failure" : "success",
      actorEmail: "cli",
      detail: { rotated: summary.rotated, webhooks: summary.webhooks, undecryptable: summary.undecryptable, skipped: summary.skipped, key_id: keyring.primaryKeyId },
    });
  }
  return summary;
}
