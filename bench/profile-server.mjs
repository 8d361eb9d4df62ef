// The app in-process, for profiling (`npm run bench -- --profile`): `next start` cannot take
// --cpu-prof (NODE_OPTIONS refuses it on Node 20), so this serves the same production build from a
// plain node:http server started as `node --cpu-prof bench/profile-server.mjs`. PORT from the env.
import http from "node:http";
import next from "next";

const dir = process.cwd(); // the app's directory (the bench starts this script there)
const port = Number(process.env.PORT ?? 3000);
const app = next({ dev: false, dir, hostname: "127.0.0.1", port });
await app.prepare();
const handle = app.getRequestHandler();
http.createServer((req, res) => handle(req, res)).listen(port, "127.0.0.1", () => console.log(`profiling server on http://127.0.0.1:${port}`));
// The app's own SIGTERM handler (lib/shutdown.ts) closes the pools and exits; --cpu-prof writes then.
