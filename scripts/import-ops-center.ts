// npm run import:ops-center -- --from postgres://... [--dry-run] [--test] [--replace] [--old-key K]
// Brings the provider keys stored by Ops Center (the Python service LLM Hub replaces) into LLM Hub.
import { parseArgs } from "node:util";
import { getKeyring } from "@/lib/config/secrets";
import { closeDb, getDbHandle } from "@/lib/db/client";
import { closeRedis } from "@/lib/rate-limit/redis";
import { migrate } from "@/lib/db/migrate";
import { getEnv } from "@/lib/env";
import { errorFields } from "@/lib/log";
import { type ImportLine, importFromOpsCenter, openOldKeyring } from "@/lib/provider-keys/import-ops-center";
import { healthOf } from "@/lib/providers/health-status";

const USAGE = `Usage: npm run import:ops-center -- --from postgres://USER@HOST:PORT/DATABASE [options]

Copies the provider keys Ops Center stored in its llm_providers table into LLM Hub: each key is
decrypted with Ops Center's encryption key and stored encrypted under LLM Hub's own key, with its
name, type, base URL (custom endpoints), priority and enabled flag. Ops Center's database is only
read (in a read-only transaction). Safe to run again: a row that already holds the key is left alone.

  --from URL       Ops Center's PostgreSQL database
  --old-key KEY    Ops Center's BYOK_ENCRYPTION_KEY (the key its stored keys are encrypted with).
                   Better: set OPS_CENTER_ENCRYPTION_KEY instead, since a command line is visible to
                   other users of the machine. BYOK_ENCRYPTION_KEY is always LLM Hub's own key; if
                   LLM Hub runs with the same key as Ops Center did, give that same value here too.
  --dry-run        say what would happen; write nothing
  --test           test each key brought over against its provider (no tokens spent) and record the
                   result as a check; without it nothing is tested
  --replace        overwrite a different key LLM Hub already holds for the same provider or custom
                   endpoint (without it such rows are skipped)

Prints one line per row of llm_providers (imported, replaced, unchanged, skipped or failed, and why)
and a summary; never a key. Exit status: 0 when no row failed, 2 when some did, 1 when it could not run.`;

function describe(l: ImportLine): string {
  const type = l.type && l.type !== l.oldType ? `${l.oldType || "?"} -> ${l.type}` : l.oldType || "?";
  const extra = [l.reason, ...l.notes].filter(Boolean).join("; ");
  const t = l.test;
  const test = t ? ` | test: ${healthOf(t)}${t.success ? ` (${t.latency_ms} ms${t.models_found !== null ? `, ${t.models_found} models` : ""})` : `, ${t.error_code}: ${t.error}`}` : "";
  return `[${l.done}/${l.total}] ${l.outcome.padEnd(13)} ${JSON.stringify(l.name)} (${type})${extra ? `: ${extra}` : ""}${test}`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      from: { type: "string" },
      "old-key": { type: "string" },
      "dry-run": { type: "boolean" },
      test: { type: "boolean" },
      replace: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.from) throw new Error(`--from is required\n\n${USAGE}`);
  const given = values["old-key"] ?? getEnv().OPS_CENTER_ENCRYPTION_KEY;
  if (!given) throw new Error("Ops Center's encryption key is required: set OPS_CENTER_ENCRYPTION_KEY to the BYOK_ENCRYPTION_KEY Ops Center ran with (or pass --old-key)");
  const oldKey = openOldKeyring(given);
  const dryRun = values["dry-run"] ?? false;

  const keyring = getKeyring();
  const handle = await getDbHandle();
  await migrate(handle.db);
  console.log(`LLM Hub database: ${handle.describe}; keys are stored under key ${keyring.primaryKeyId}`);
  if (dryRun) console.log("Dry run: nothing will be written.");

  const summary = await importFromOpsCenter({
    from: values.from,
    oldKey,
    dryRun,
    replace: values.replace ?? false,
    test: values.test ?? false,
    onStart: (s) => {
      console.log(`Ops Center database: ${s.where}; old key ${s.oldKeyId}`);
      console.log(`llm_providers: ${s.rows} row(s); ${s.layout}`);
    },
    onRow: (l) => console.log(describe(l)),
  });
  const c = summary.counts;
  const done = dryRun
    ? `Dry run: ${c["would import"]} would be imported, ${c["would replace"]} would replace a key, ${c.unchanged} unchanged, ${c.skipped} skipped, ${c.failed} failed. Nothing was written.`
    : `Done: ${c.imported} imported, ${c.replaced} replaced, ${c.unchanged} unchanged, ${c.skipped} skipped, ${c.failed} failed.`;
  console.log(done);
  const t = summary.tested;
  const tested = t.healthy + t.degraded + t.unhealthy + t.unknown;
  if (tested) console.log(`Tested ${tested} key(s): ${t.healthy} healthy, ${t.degraded} degraded, ${t.unhealthy} unhealthy, ${t.unknown} not tested.`);
  return c.failed ? 2 : 0;
}

main()
  .then(async (code) => {
    await Promise.all([closeDb(), closeRedis()]);
    process.exit(code);
  })
  .catch(async (err) => {
    // a database error's message can quote its query's parameters; errorFields leaves them out
    const message = err instanceof Error && !("query" in err) ? err.message : (errorFields(err).error as string[]).join(" <- ");
    console.error(`import:ops-center: ${message}`);
    await Promise.allSettled([closeDb(), closeRedis()]);
    process.exit(1);
  });
