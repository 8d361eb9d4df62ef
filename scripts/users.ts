// npm run users -- <add|list|set-role|enable|disable|set-password> [--email E] [--role admin|viewer]
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { generatePassword } from "@/lib/auth/password";
import { MIN_PASSWORD_LENGTH } from "@/lib/env";
import { closeDb } from "@/lib/db/client";
import { closeRedis } from "@/lib/rate-limit/redis";
import { getDbHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { AppError } from "@/lib/errors";
import { createUser, findUserByEmail, listUserViews, resetPassword, updateUser } from "@/lib/users/service";

const USAGE = `Usage: npm run users -- <command> [options]
  add --email E [--role admin|viewer]   create a user; the password is read from standard input
                                        when it is not a terminal, else one is generated and shown once
  list                                  list users
  set-role --email E --role R           change a role (ends that user's sessions)
  disable --email E / enable --email E  block or unblock sign-in (disable ends sessions at once)
  set-password --email E                new password from standard input, or generated`;

const call = { actor: { id: null, email: `cli:${userInfo().username}` }, request: null };

async function readPassword(): Promise<{ password: string; generated: boolean }> {
  if (process.stdin.isTTY) return { password: generatePassword(), generated: true };
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
  if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  return { password, generated: false };
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { email: { type: "string" }, role: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  const [command] = positionals;
  if (!command || values.help) return void console.log(USAGE);
  const email = values.email?.trim().toLowerCase();
  const role = values.role ?? "viewer";
  if (command !== "list" && (!email || !/^[^\s@]+@[^\s@]+$/.test(email))) throw new Error("--email with a valid address is required");
  if (!["admin", "viewer"].includes(role)) throw new Error("--role must be admin or viewer");
  await migrate((await getDbHandle()).db);

  switch (command) {
    case "list": {
      const { users } = await listUserViews();
      if (users.length === 0) return void console.log("No users yet. Add one with: npm run users -- add --email you@example.com --role admin");
      for (const u of users) console.log(`${u.email.padEnd(40)} ${u.role.padEnd(7)} ${u.disabled ? "disabled" : "active  "} created ${u.created_at}`);
      return void console.log(`${users.length} user(s)`);
    }
    case "add": {
      if (await findUserByEmail(email!)) throw new Error(`a user ${email} already exists (use set-role or set-password)`);
      const { password, generated } = await readPassword();
      const { user } = await createUser(call, { email: email!, role: role as "admin" | "viewer", password });
      console.log(`Added ${user.role} ${user.email}.`);
      if (generated) console.log(`Generated password (shown once, store it now): ${password}`);
      return;
    }
    case "set-role":
    case "enable":
    case "disable":
    case "set-password": {
      if (command === "set-role" && !values.role) throw new Error("--role is required");
      const found = await findUserByEmail(email!);
      if (!found) throw new Error(`no user ${email}`);
      let generated: string | null = null;
      let user: { email: string; role: string };
      if (command === "set-password") {
        const p = await readPassword();
        if (p.generated) generated = p.password;
        ({ user } = await resetPassword(call, found.id, { password: p.password }));
      } else {
        ({ user } = await updateUser(call, found.id, command === "set-role" ? { role: role as "admin" | "viewer" } : { disabled: command === "disable" }));
      }
      const said = { "set-role": `now ${user.role}`, enable: "enabled", disable: "disabled; their sessions have ended", "set-password": "has a new password; their sessions have ended" }[command];
      console.log(`${user.email} ${said}.`);
      if (generated) console.log(`Generated password (shown once, store it now): ${generated}`);
      return;
    }
    default:
      throw new Error(`unknown command '${command}'\n${USAGE}`);
  }
}

main()
  .then(() => Promise.all([closeDb(), closeRedis()]))
  .catch(async (err) => {
    // a refusal of the service (the last admin, a conflict) reads like the tool's own errors
    console.error(`users: ${err instanceof AppError ? err.detail : (err as Error).message}`);
    await Promise.allSettled([closeDb(), closeRedis()]);
    process.exit(1);
  });
