// npm run hub-keys: a key issued from a script works on the running gateway at once, is listed
// masked, and a revoke from another process stops it at once (the server hears the NOTIFY).
import OpenAI from "openai";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { runNpmScript, runNpmScriptOk } from "../support/cli";
import { signedIn } from "../support/client";
import { admin, isServices } from "../support/context";
import { compatBase, ensureProviderKey } from "../support/gateway";
import { recordSecret } from "../support/keys";

const cli = (args: string[]) => runNpmScriptOk("hub-keys", args, { env: inject("cliEnv") });
const chat = (key: string, model = "openai/gpt-4o-mini") =>
  new OpenAI({ apiKey: key, baseURL: compatBase(), maxRetries: 0 }).chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] }).then(
    () => 200,
    (e: { status?: number }) => e.status,
  );

beforeAll(async () => {
  if (isServices()) await ensureProviderKey(await signedIn(admin("gateway")), "openai");
});

describe.skipIf(!isServices())("npm run hub-keys (with PostgreSQL: in zero-setup mode the server holds the database)", () => {
  it("create prints the key once and says what it did; the key works at once", async () => {
    const out = await cli(["create", "--name", "from-cli", "--owner", "ops", "--allow", "openai/*", "--rpm", "50", "--budget", "3"]);
    const key = /Hub key \(shown once, store it now\): (llmhub_[0-9A-Za-z]{40})/.exec(out.stdout)?.[1];
    expect(key, out.stdout).toBeTruthy();
    recordSecret(key!);
    expect(out.stdout).toMatch(/Issued hub key from-cli \(id [0-9a-f-]{36}, llmhub_[0-9A-Za-z]{3}…[0-9A-Za-z]{4}\)/);
    expect(out.stdout).toContain("scopes: gateway; allowed: openai/*; rpm limit: 50; monthly budget: $3");
    expect(await chat(key!)).toBe(200);
    expect(await chat(key!, "groq/llama-3.1-8b-instant")).toBe(403);

    const list = await cli(["list"]);
    expect(list.stdout).toMatch(/llmhub_[0-9A-Za-z]{3}…[0-9A-Za-z]{4}\s+active\s+from-cli \(ops\)/);
    expect(list.stdout).not.toContain(key!);
    const id = /^([0-9a-f-]{36}) .*from-cli/m.exec(list.stdout)![1]!;

    // an ingest-only key: listed with its scopes, refused by the gateway
    const ingest = await cli(["create", "--name", "cli-ingest", "--scopes", "ingest"]);
    const ingestKey = recordSecret(/Hub key \(shown once, store it now\): (llmhub_[0-9A-Za-z]{40})/.exec(ingest.stdout)![1]!);
    expect(ingest.stdout).toContain("scopes: ingest; allowed: every configured provider");
    expect(await chat(ingestKey)).toBe(403);
    expect((await cli(["list"])).stdout).toMatch(/active\s+cli-ingest\s+scopes ingest; all providers/);

    const revoked = await cli(["revoke", id]);
    expect(revoked.stdout).toContain("Hub key from-cli deleted; it no longer works");
    expect(await chat(key!)).toBe(401);
  });

  it("refuses bad input with a message naming it, and exit code 1", async () => {
    const env = { env: inject("cliEnv") };
    for (const [args, message] of [
      [["create", "--name", "x", "--rpm", "lots"], "--rpm must be a number (got 'lots')"],
      [["create", "--name", "x", "--allow", "bad route/*"], "allowed.0: must not contain spaces or control characters"],
      [["create"], "name: field required"],
      [["create", "--name", "x", "--scopes", "admin"], "scopes.0: must be one of gateway, ingest"],
      [["revoke", "00000000-0000-4000-8000-000000000000"], "Hub key not found"],
      [["explode"], "unknown command 'explode'"],
    ] as const) {
      const r = await runNpmScript("hub-keys", [...args], env);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr).toContain(message);
    }
  });
});
