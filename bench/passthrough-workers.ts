/**
 * The floor (bench/passthrough.ts) served by WORKERS processes sharing one port, through
 * node:cluster as `npm start` does with WEB_CONCURRENCY: for `npm run bench:gateway`'s rows that
 * compare both in two processes. The workers run passthrough.ts unchanged.
 *
 *   node --import tsx bench/passthrough-workers.ts   (env: PORT, UPSTREAM, WORKERS, default 2)
 */
import cluster from "node:cluster";
import { fileURLToPath } from "node:url";

const workers = Number(process.env.WORKERS ?? 2);
if (!Number.isInteger(workers) || workers < 1) throw new Error(`WORKERS must be a whole number ≥ 1, got "${process.env.WORKERS}"`);
cluster.setupPrimary({ exec: fileURLToPath(new URL("./passthrough.ts", import.meta.url)) });
for (let i = 0; i < workers; i++) cluster.fork();
let stopping = false;
cluster.on("exit", (w, code, signal) => {
  if (!stopping) {
    console.error(`pass-through worker ${w.process.pid} exited (${signal ?? code}): stopping`);
    stop();
  } else if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
});
function stop(): void {
  if (stopping) return;
  stopping = true;
  for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
  if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
