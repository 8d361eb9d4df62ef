// npm run hub-keys -- <create|list|revoke> … — issue, list and revoke the gateway's hub keys from scripts
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { parseWith } from "@/lib/api/body";
import { closeDb, getDbHandle } from "@/lib/db/client";
import { closeRedis } from "@/lib/rate-limit/redis";
import { migrate } from "@/lib/db/migrate";
import { AppError } from "@/lib/errors";
import { createHubKeySchema } from "@/lib/hub-keys/schemas";
import { createHubKey, deleteHubKey, type HubKeyCall, listHubKeyViews } from "@/lib/hub-keys/service";

const USAGE = `Usage: npm run hub-keys -- <command> [options]
  create --name N [--owner O] [--allow PATTERN]... [--rpm N] [--budget USD] [--expires ISO] [--scopes S]
                     issue a hub key and print it once (store it now: only its hash is kept).
                     --allow may repeat or hold a comma-separated list ('openai/*,groq/llama-*');
                     without it the key may use every configured provider.
                     --scopes: gateway (the default), ingest (POST usage records), or gateway,ingest
  list               list hub keys (masked), newest first
  revoke ID          delete a hub key: it stops working at once on every running instance`;

const call: HubKeyCall = { actor: { id: null, email: `cli:${userInfo().username}` }, request: null };

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new Error(`--${flag} must be a number (got '${value}')`);
  return n;
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: "string" },
      owner: { type: "string" },
      allow: { type: "string", multiple: true },
      rpm: { type: "string" },
      budget: { type: "string" },
      expires: { type: "string" },
      scopes: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, arg] = positionals;
  if (!command || values.help) return void console.log(USAGE);
  await migrate((await getDbHandle()).db);

  switch (command) {
    case "create": {
      const body = {
        name: values.name,
        owner: values.owner,
        allowed: values.allow?.flatMap((a) => a.split(",")).map((a) => a.trim()).filter(Boolean),
        rpm_limit: number("rpm", values.rpm),
        monthly_budget_usd: number("budget", values.budget),
        expires_at: values.expires,
        scopes: values.scopes?.split(",").map((s) => s.trim()).filter(Boolean),
      };
      const input = parseWith(createHubKeySchema, JSON.parse(JSON.stringify(body)));
      const out = await createHubKey(call, input);
      const k = out.hub_key;
      console.log(`Issued hub key ${k.name} (id ${k.id}, ${k.key_preview}).`);
      console.log(`  scopes: ${k.scopes.join(", ")}; allowed: ${k.allowed.length ? k.allowed.join(", ") : "every configured provider"}; rpm limit: ${k.rpm_limit ?? "none"}; monthly budget: ${k.monthly_budget_usd === null ? "none" : `$${k.monthly_budget_usd}`}; expires: ${k.expires_at ?? "never"}`);
      console.log(`Hub key (shown once, store it now): ${out.key}`);
      return;
    }
    case "list": {
      const { hub_keys: keys } = await listHubKeyViews();
      if (keys.length === 0) return void console.log("No hub keys yet. Issue one with: npm run hub-keys -- create --name my-app");
      for (const k of keys) {
        const limits = [k.scopes.join(",") !== "gateway" ? `scopes ${k.scopes.join(",")}` : null, k.allowed.length ? `allowed ${k.allowed.join(",")}` : "all providers", k.rpm_limit ? `${k.rpm_limit} rpm` : null, k.monthly_budget_usd ? `$${k.monthly_budget_usd}/month` : null].filter(Boolean).join("; ");
        console.log(`${k.id}  ${k.key_preview}  ${k.status.padEnd(8)}  ${k.name}${k.owner ? ` (${k.owner})` : ""}  ${limits}  last used ${k.last_used_at ?? "never"}`);
      }
      return void console.log(`${keys.length} hub key(s)`);
    }
    case "revoke": {
      if (!arg) throw new Error("revoke needs the key's id (see: npm run hub-keys -- list)");
      const out = await deleteHubKey(call, arg);
      return void console.log(`${out.message} (id ${out.id}).`);
    }
    default:
      throw new Error(`unknown command '${command}'\n${USAGE}`);
  }
}

main()
  .then(() => Promise.all([closeDb(), closeRedis()]))
  .catch(async (err) => {
    console.error(`hub-keys: ${err instanceof AppError ? err.detail : (err as Error).message}`);
    await Promise.allSettled([closeDb(), closeRedis()]);
    process.exit(1);
  });
