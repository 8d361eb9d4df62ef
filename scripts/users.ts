// npm run users -- <add|list|set-role|enable|disable|set-password> [--email E] [--role admin|viewer]
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { recordAudit } from "@/lib/audit/record";
import { generatePassword, hashPassword } from "@/lib/auth/password";
import { MIN_PASSWORD_LENGTH } from "@/lib/env";
import { closeDb } from "@/lib/db/client";
import { getDbHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { getUserByEmail, insertUserIfMissing, listUsers, updateUserByEmail } from "@/lib/db/queries/users";

const USAGE = `Usage: npm run users -- <command> [options]
  add --email E [--role admin|viewer]   create a user; the password is read from standard input
                                        when it is not a terminal, else one is generated and shown once
  list                                  list users
  set-role --email E --role R           change a role (ends that user's sessions)
  disable --email E / enable --email E  block or unblock sign-in (disable ends sessions at once)
  set-password --email E                new password from standard input, or generated`;

const actor = `cli:${userInfo().username}`;

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
      const users = await listUsers();
      if (users.length === 0) return void console.log("No users yet. Add one with: npm run users -- add --email you@example.com --role admin");
      for (const u of users) console.log(`${u.email.padEnd(40)} ${u.role.padEnd(7)} ${u.disabled ? "disabled" : "active  "} created ${u.createdAt.toISOString()}`);
      return void console.log(`${users.length} user(s)`);
    }
    case "add": {
      if (await getUserByEmail(email!)) throw new Error(`a user ${email} already exists (use set-role or set-password)`);
      const { password, generated } = await readPassword();
      const user = await insertUserIfMissing({ email: email!, role: role as "admin" | "viewer", passwordHash: await hashPassword(password) });
      if (!user) throw new Error(`a user ${email} already exists`);
      await recordAudit({ action: "user.create", outcome: "success", actorEmail: actor, target: user.id, detail: { email: user.email, role: user.role } });
      console.log(`Added ${user.role} ${user.email}.`);
      if (generated) console.log(`Generated password (shown once, store it now): ${password}`);
      return;
    }
    case "set-role":
    case "enable":
    case "disable":
    case "set-password": {
      let patch: Parameters<typeof updateUserByEmail>[1];
      let generated: string | null = null;
      if (command === "set-role") {
        if (!values.role) throw new Error("--role is required");
        patch = { role: role as "admin" | "viewer" };
      } else if (command === "set-password") {
        const p = await readPassword();
        if (p.generated) generated = p.password;
        patch = { passwordHash: await hashPassword(p.password) };
      } else {
        patch = { disabled: command === "disable" };
      }
      const user = await updateUserByEmail(email!, patch);
      if (!user) throw new Error(`no user ${email}`);
      await recordAudit({ action: "user.update", outcome: "success", actorEmail: actor, target: user.id, detail: { email: user.email, command, role: user.role, disabled: user.disabled } });
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
  .then(() => closeDb())
  .catch(async (err) => {
    console.error(`users: ${(err as Error).message}`);
    await closeDb().catch(() => {});
    process.exit(1);
  });
