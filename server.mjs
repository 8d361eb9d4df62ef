// `npm start`: the production server. Next serves everything, except the API requests its router has
// nothing to do for, which server/fast-path.mjs hands straight to the same route handler functions
// (app/api/**/route.ts, from the same build). WEB_CONCURRENCY=N (default 1) runs N worker processes
// sharing the port (node:cluster); the background jobs run in one of them at a time (their leases).
// Arguments as `next start`'s: -p/--port (or PORT, default 3000), -H/--hostname (default: all).
// API_FAST_PATH=0 turns the fast path off (Next serves every request), to compare the two.
import cluster from "node:cluster";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dir = path.dirname(fileURLToPath(import.meta.url));
// the clock as Node has it, before Next wraps Date for its prerender checks (lib/clock.ts)
globalThis[Symbol.for("llmhub.clock")] ??= { Date };

function arg(names) {
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    if (names.includes(flag)) return inline ?? argv[i + 1];
  }
  return undefined;
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

const port = Number(arg(["-p", "--port"]) ?? process.env.PORT ?? 3000);
const hostname = arg(["-H", "--hostname"]);
const workers = Number(process.env.WEB_CONCURRENCY || 1);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`Invalid port: ${port} (-p/--port or PORT)`);
if (!Number.isInteger(workers) || workers < 1) fail(`WEB_CONCURRENCY must be a whole number ≥ 1, got "${process.env.WEB_CONCURRENCY}"`);

if (workers > 1 && cluster.isPrimary) runPrimary(workers);
else await runWorker();

/**
 * The primary only supervises: it forks the workers (each with this script and its Node flags), starts
 * a new one for any that dies unexpectedly, and on SIGTERM/SIGINT passes the signal on and exits once
 * every worker has finished its own shutdown (lib/shutdown.ts).
 */
function runPrimary(n) {
  let stopping = false;
  const startedAt = new Map();
  const fork = () => startedAt.set(cluster.fork().id, Date.now());
  console.log(`Starting ${n} workers on port ${port} (WEB_CONCURRENCY=${n})`);
  for (let i = 0; i < n; i++) fork();
  cluster.on("exit", (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
    startedAt.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`Worker ${worker.process.pid} exited (${signal ?? code}) after ${Math.round(lived / 1000)} s`);
    // a worker that cannot even start (bad configuration) would be restarted forever: stop instead
    if (lived < 10_000) {
      console.error("It died within 10 s of starting: stopping the server");
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    fork();
  });
  for (const sig of ["SIGTERM", "SIGINT"]) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(sig);
    });
  }
}

async function runWorker() {
  process.env.NODE_ENV ??= "production";
  const { default: next } = await import("next");
  const app = next({ dev: false, dir, hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const distDir = path.join(dir, process.env.NEXT_DIST_DIR || ".next");
  // instrumentation.ts (migrations, the request guard, lib/shutdown.ts, the background jobs) before the
  // first request: in production Next would run it on its first request, which the fast path may take.
  // Next's own memoised call, so it still runs once.
  const { ensureInstrumentationRegistered } = await import("next/dist/server/lib/router-utils/instrumentation-globals.external.js");
  await ensureInstrumentationRegistered(dir, distDir);
  const { createFastPath } = await import("./server/fast-path.mjs");
  const fastPath = process.env.API_FAST_PATH === "0" ? null : await createFastPath({ distDir, hostname, port });
  const server = http.createServer(fastPath ? (req, res) => fastPath(req, res) || handle(req, res) : (req, res) => handle(req, res));
  server.on("error", (err) => fail(`Cannot listen on ${hostname ?? "*"}:${port}: ${err.message}`));
  server.listen(port, hostname, () => {
    console.log(`▲ LLM Hub on http://${hostname ?? "localhost"}:${port} (pid ${process.pid}, API fast path ${fastPath ? "on" : "off"})`);
  });
  // Stop taking connections at once; lib/shutdown.ts finishes the work in flight and exits.
  for (const sig of ["SIGTERM", "SIGINT"]) process.once(sig, () => server.close());
}
