#!/usr/bin/env node
// npm run bench [-- --soak] — runs bench/main.ts (TypeScript, through tsx) and passes its exit code on.
// Ctrl-C reaches both processes; main.ts stops its servers and drops its database itself.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const child = spawn(process.execPath, ["--import", "tsx", "bench/main.ts", ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
