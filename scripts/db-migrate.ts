// npm run db:migrate — apply the committed migrations (the app also does this at start).
import { closeDb, getDbHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";

async function main() {
  const handle = await getDbHandle();
  console.log(`Database: ${handle.describe}`);
  const applied = await migrate(handle.db);
  console.log(applied ? `Applied ${applied} migration(s).` : "Already up to date: no migration to apply.");
  await closeDb();
}

main().catch(async (err) => {
  console.error(`Migration failed: ${(err as Error).message}`);
  await closeDb().catch(() => {});
  process.exit(1);
});
