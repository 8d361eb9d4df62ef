/** Runs the project's command-line tools (`npm run users -- ...`, `npm run keys:rotate -- ...`). */
import { spawn } from "node:child_process";

export type NpmScript = "users" | "keys:rotate" | "worker" | "import:ops-center";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runNpmScript(
  script: NpmScript,
  args: string[],
  opts: { env: Record<string, string | undefined>; input?: string; timeoutMs?: number; cwd?: string },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", script, "--", ...args], {
      cwd: opts.cwd ?? process.cwd(),
      env: opts.env as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`npm run ${script} ${args.join(" ")} took longer than ${opts.timeoutMs ?? 60_000} ms\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** Same as runNpmScript, but throws with the tool's output unless it exits 0. */
export async function runNpmScriptOk(
  script: NpmScript,
  args: string[],
  opts: { env: Record<string, string | undefined>; input?: string; timeoutMs?: number; cwd?: string },
): Promise<CliResult> {
  const r = await runNpmScript(script, args, opts);
  if (r.code !== 0) throw new Error(`npm run ${script} ${args.join(" ")} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
}
