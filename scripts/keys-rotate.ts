// npm run keys:rotate [-- --dry-run] — re-encrypt every stored key under the newest BYOK key.
import { parseArgs } from "node:util";
import { getKeyring } from "@/lib/config/secrets";
import { closeDb, getDbHandle } from "@/lib/db/client";
import { closeRedis } from "@/lib/rate-limit/redis";
import { migrate } from "@/lib/db/migrate";
import { rotateStoredKeys } from "@/lib/provider-keys/rotate";

async function main() {
  const { values } = parseArgs({ options: { "dry-run": { type: "boolean" }, "batch-size": { type: "string" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    console.log("Usage: npm run keys:rotate [-- --dry-run] [--batch-size N]\n" +
      "Put the new key first: BYOK_ENCRYPTION_KEY=<new> BYOK_ENCRYPTION_KEYS=<old>[,<older>]. Safe to stop (Ctrl-C) and run again.");
    return;
  }
  const dryRun = values["dry-run"] ?? false;
  const keyring = getKeyring();
  const handle = await getDbHandle();
  await migrate(handle.db);
  console.log(`Database: ${handle.describe}`);
  console.log(`Newest key: ${keyring.primaryKeyId}; keyring holds ${keyring.keyIds.length} key(s): ${keyring.keyIds.join(", ")}`);
  if (dryRun) console.log("Dry run: nothing will be written.");

  let stop = false;
  process.once("SIGINT", () => {
    stop = true;
    console.log("\nStopping after the current row (run again to continue)...");
  });
  const summary = await rotateStoredKeys({
    dryRun,
    batchSize: values["batch-size"] ? Number(values["batch-size"]) : undefined,
    shouldStop: () => stop,
    onProgress: (p) => console.log(`[${p.done}/${p.total}] ${p.outcome.padEnd(17)} ${p.name}`),
  });
  const verb = dryRun ? "would re-encrypt" : "re-encrypted";
  console.log(
    `${summary.stopped ? "Stopped" : "Done"}: ${verb} ${dryRun ? summary.wouldRotate : summary.rotated} key(s)` +
      (summary.webhooks ? ` and ${summary.webhooks} webhook(s)` : "") +
      `, ${summary.undecryptable} could not be decrypted with any configured key` +
      `, ${summary.skipped} changed meanwhile (already current)` +
      (summary.stopped ? `, ${summary.remaining} left` : "") + ".",
  );
  if (summary.undecryptable) {
    console.log("Rows that cannot be decrypted need their old key in BYOK_ENCRYPTION_KEYS, or must be re-entered.");
  }
  await Promise.all([closeDb(), closeRedis()]);
  process.exit(summary.undecryptable ? 2 : 0);
}

main().catch(async (err) => {
  console.error(`keys:rotate failed: ${(err as Error).message}`);
  await Promise.allSettled([closeDb(), closeRedis()]);
  process.exit(1);
});
