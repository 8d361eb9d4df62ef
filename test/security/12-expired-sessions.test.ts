// Expired sessions do not pile up: the retention work (hourly, and at the start of every app
// instance and worker) deletes the rows of sessions that have expired and leaves live ones alone.
// Run here as `npm run worker` against the suite's database, the same code the app runs.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { unsealData } from "iron-session";
import { afterAll, describe, expect, inject, it } from "vitest";
import { ME } from "../support/api";
import { withSql } from "../support/db";
import { secAdmin } from "./support/context";
import { secSignedIn } from "./support/sec-client";

const LABEL = "expired-sessions";
let worker: ChildProcess | undefined;

const rowIdOf = async (cookie: string) => {
  const { t } = await unsealData<{ t: string }>(cookie, { password: { 1: inject("sessionSecret") } });
  return createHash("sha256").update(t).digest("hex");
};
const exited = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null || c.signalCode !== null ? r(c.exitCode) : c.once("exit", (code) => r(code))));

afterAll(() => {
  if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill("SIGKILL");
});

describe("expired sessions", () => {
  it("are deleted by the retention work; live sessions stay and keep working", async () => {
    const [longGone, justEnded, live] = await Promise.all([1, 2, 3].map(() => secSignedIn(LABEL, secAdmin("session"))));
    const ids = await Promise.all([longGone!, justEnded!, live!].map((c) => rowIdOf(c.cookie("session_token")!)));
    const [goneId, endedId, liveId] = ids as [string, string, string];
    await withSql(async (sql) => {
      await sql`update sessions set expires_at = now() - interval '30 days' where id = ${goneId}`;
      await sql`update sessions set expires_at = now() - interval '1 second' where id = ${endedId}`;
    });
    const present = () => withSql(async (sql) => (await sql`select id from sessions where id in ${sql(ids)}`).map((r) => r.id as string));
    expect((await present()).sort()).toEqual([...ids].sort());

    const env: Record<string, string> = { ...inject("cliEnv"), HEALTH_CHECK_INTERVAL_SECONDS: "0", LOG_LEVEL: "info" };
    const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/worker.ts"], {
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    worker = child;
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));

    const deadline = Date.now() + 45_000;
    let left = await present();
    while (left.includes(goneId) || left.includes(endedId)) {
      if (Date.now() > deadline || child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 250));
      left = await present();
    }
    child.kill("SIGTERM");
    expect(await exited(child), output).toBe(0);
    expect(left, `expired session rows are still there\n${output}`).toEqual([liveId]);
    expect(output).toMatch(/Pruned \d+ expired session\(s\)/);
    expect((await live!.get(ME)).status, "the live session stopped working").toBe(200);
  });
});
