// What a failed sign-in leaves in the log and the audit log (a password typed into the email field
// must land in neither), and the start-up rule for ADMIN_PASSWORD.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { withSql } from "../support/db";
import { spawnApp } from "../support/app-process";
import { baseEnv } from "../support/app-services";
import { secAdmin } from "./support/context";
import { LOGIN, proxiedClient, proxiedLog, userAgent } from "./support/proxied";

const LABEL = "sign-in-records";

async function waitForLog(pattern: RegExp, timeoutMs = 3000): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = proxiedLog().split("\n").find((l) => pattern.test(l));
    if (line || Date.now() > deadline) return line ?? null;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("a failed sign-in in the log and the audit log", () => {
  it("records a short hash, never the text, when the email is no account (a password typed in the wrong field)", async () => {
    const typed = `Tr0ub4dor-${randomBytes(8).toString("hex")}-pw`;
    const label = `${LABEL}-unknown`;
    const res = await proxiedClient(label, "100.64.46.1").post(LOGIN, { email: typed, password: "whatever was in the other field" });
    expect(res.status, res.text).toBe(401);
    const rows = await withSql((sql) => sql`select actor_email, detail::text as detail from audit_events where user_agent = ${userAgent(label)}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor_email).toMatch(/^unknown:[0-9a-f]{12}$/);
    expect(JSON.stringify(rows).toLowerCase()).not.toContain(typed.toLowerCase());
    const line = await waitForLog(new RegExp(`Failed sign-in for ${rows[0]!.actor_email}`));
    expect(line, "the failed sign-in was logged under the hash").not.toBeNull();
    expect(proxiedLog().toLowerCase()).not.toContain(typed.toLowerCase());
    // the same text gives the same hash, so repeated attempts can still be told apart
    await proxiedClient(label, "100.64.46.1").post(LOGIN, { email: ` ${typed.toUpperCase()} `, password: "x" });
    const again = await withSql((sql) => sql`select distinct actor_email from audit_events where user_agent = ${userAgent(label)}`);
    expect(again).toHaveLength(1);
  });

  it("records the account's own email, normalized, when it is one", async () => {
    const who = secAdmin("misc");
    const label = `${LABEL}-known`;
    const res = await proxiedClient(label, "100.64.46.2").post(LOGIN, { email: `  ${who.email.toUpperCase()} `, password: "not the password" });
    expect(res.status, res.text).toBe(401);
    const rows = await withSql((sql) => sql`select actor_email from audit_events where user_agent = ${userAgent(label)}`);
    expect(rows.map((r) => r.actor_email)).toEqual([who.email]);
  });
});

describe("ADMIN_PASSWORD at start-up", () => {
  it("refuses to start with an ADMIN_PASSWORD shorter than 12 characters, naming the variable and not the password", async () => {
    const password = `s${randomBytes(5).toString("hex")}`; // 11 characters
    const env: Record<string, string> = { ...baseEnv(), ...inject("cliEnv"), NODE_ENV: "production", ADMIN_EMAIL: "short-pw@sec.example", ADMIN_PASSWORD: password };
    const app = await spawnApp({ env, logPath: path.resolve("test-results/server-security-short-admin-password.log"), name: "the app with a short ADMIN_PASSWORD" });
    const exited = new Promise<number | null>((r) => app.proc.once("exit", (code) => r(code)));
    const served = (async () => {
      for (let i = 0; i < 120; i++) {
        await new Promise((r) => setTimeout(r, 250));
        const ok = await fetch(`${app.url}/api/health/ready`).then((r) => r.status === 200, () => false);
        if (ok) return "served" as const;
      }
      return "neither" as const;
    })();
    const outcome = await Promise.race([exited.then((code) => ({ code })), served]);
    if (!app.exited()) await app.stop(0);
    const output = app.output();
    expect(outcome, `the app did not refuse to start; output:\n${output}`).toEqual({ code: 1 });
    expect(output).toContain("ADMIN_PASSWORD must be at least 12 characters");
    expect(output).not.toContain(password);
    const [made] = await withSql((sql) => sql`select count(*)::int as n from users where email = 'short-pw@sec.example'`);
    expect(made?.n).toBe(0);
  });
});
