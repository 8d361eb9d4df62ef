/**
 * The built app as the benchmarks run it: a clean environment (the calling shell's settings that
 * would change the app's behaviour removed) and a production build in .next-bench, rebuilt only
 * when a source file is newer than it. Shared by `npm run bench` and `npm run bench:gateway`.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

export const DIST_DIR = ".next-bench";

/** Variables of the calling shell that would change the app's behaviour; the bench sets its own. */
const STRIP =
  /^(DATABASE_|REDIS_URL|DATA_DIR|BYOK_|SESSION_|ADMIN_|ALLOWED_ORIGINS|TRUST_PROXY|COOKIE_SECURE|PROVIDER_|KEY_TESTS_PER_MINUTE|HEALTH_|USAGE_|GATEWAY_|LOG_LEVEL|NODE_ENV|PORT|HOSTNAME|NEXT_DIST_DIR|NEXT_TSCONFIG_PATH|NODE_OPTIONS|.*_API_KEY$)/;

export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !STRIP.test(k)) env[k] = v;
  env.NEXT_TELEMETRY_DISABLED = "1";
  env.NEXT_DIST_DIR = DIST_DIR;
  env.NEXT_TSCONFIG_PATH = "bench/tsconfig.build.json";
  return env;
}

/** Newest modification time among the files a build depends on (tests excluded). */
function newestSource(appDir: string): { file: string; mtime: number } {
  let best = { file: "", mtime: 0 };
  const visit = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) visit(path.join(p, name));
    } else if (!/\.test\.tsx?$/.test(p) && st.mtimeMs > best.mtime) {
      best = { file: p, mtime: st.mtimeMs };
    }
  };
  for (const p of ["app", "lib", "components", "public", "drizzle", "instrumentation.ts", "next.config.ts", "package-lock.json", "bench/tsconfig.build.json"]) visit(path.join(appDir, p));
  return best;
}

/** Builds `appDir` into DIST_DIR when needed (or `rebuild`); says what it did. The build's output goes to `logPath`. */
export async function buildIfNeeded(o: { appDir: string; rebuild: boolean; logPath: string }): Promise<string> {
  const id = path.join(o.appDir, DIST_DIR, "BUILD_ID");
  const newest = newestSource(o.appDir);
  const reason = o.rebuild
    ? "--rebuild"
    : !existsSync(id)
      ? `no build in ${DIST_DIR}`
      : statSync(id).mtimeMs < newest.mtime
        ? `${newest.file} is newer than the build`
        : null;
  if (!reason) return `reused ${DIST_DIR} (newer than every source file)`;
  console.log(`Building into ${DIST_DIR} (${reason}); log: ${path.relative(process.cwd(), o.logPath)}`);
  const started = Date.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
      cwd: o.appDir,
      env: cleanEnv() as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (out += d));
    child.on("close", (c) => {
      writeFileSync(o.logPath, out);
      resolve(c);
    });
  });
  if (code !== 0) throw new Error(`next build failed (exit ${code}); see ${o.logPath}`);
  return `built into ${DIST_DIR} in ${((Date.now() - started) / 1000).toFixed(0)} s (${reason})`;
}
