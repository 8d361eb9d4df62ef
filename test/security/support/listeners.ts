/**
 * Small servers for the SSRF tests: a custom OpenAI-compatible endpoint on an address the default
 * `private` policy allows (it also answers redirects on request), and a trap that only counts the
 * connections it receives (it must see none).
 */
import http from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { networkInterfaces } from "node:os";
import { classifyAddress } from "../../../lib/net/ip-address";

/** A non-loopback address of this machine that the `private` policy allows (private or public), or null. */
export function allowedLocalAddress(): { host: string; family: 4 | 6 } | null {
  const all = Object.values(networkInterfaces()).flatMap((l) => l ?? []);
  const ok = all.filter((a) => !a.internal && ["private", "public"].includes(classifyAddress(a.address)) && !a.address.startsWith("fe80"));
  const pick = ok.find((a) => a.family === "IPv4") ?? ok[0];
  return pick ? { host: pick.address, family: pick.family === "IPv4" ? 4 : 6 } : null;
}

export const hostForUrl = (host: string) => (host.includes(":") ? `[${host}]` : host);

export interface LanServer {
  /** `http://host:port` */
  url: string;
  port: number;
  /** Paths requested so far. */
  paths: string[];
  /** The bearer credentials received so far (tests compare them with keys they sent). */
  bearers: string[];
  close(): Promise<void>;
}

/**
 * `GET /v1/models`: 200 with two models (401 when the bearer key holds "invalid").
 * `GET /r/<status>/<base64url target>/models`: that redirect status with `Location: <target>`.
 */
export function startLanServer(host: string, port = 0): Promise<LanServer> {
  const paths: string[] = [];
  const bearers: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    paths.push(path);
    if (req.headers.authorization) bearers.push(req.headers.authorization.replace(/^Bearer /, ""));
    const redirect = /^\/r\/(\d{3})\/([A-Za-z0-9_-]+)\/models$/.exec(path);
    if (redirect) {
      res.writeHead(Number(redirect[1]), { location: Buffer.from(redirect[2]!, "base64url").toString() });
      res.end();
      return;
    }
    const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
    res.setHeader("content-type", "application/json");
    if (path.endsWith("/models") && req.method === "GET") {
      if (key.includes("invalid")) {
        res.writeHead(401).end(JSON.stringify({ error: { message: "Incorrect API key provided", type: "invalid_request_error" } }));
      } else {
        res.writeHead(200).end(JSON.stringify({ object: "list", data: [{ id: "lab-a" }, { id: "lab-b" }] }));
      }
      return;
    }
    res.writeHead(404).end(JSON.stringify({ error: { message: "not found" } }));
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const p = (server.address() as { port: number }).port;
      resolve({
        url: `http://${hostForUrl(host)}:${p}`,
        port: p,
        paths,
        bearers,
        close: () => closeServer(server, sockets),
      });
    });
  });
}

/** `http://.../r/<status>/<target>` — a base URL whose `/models` redirects to `target`. */
export function redirectBase(lanUrl: string, status: number, target: string): string {
  return `${lanUrl}/r/${status}/${Buffer.from(target).toString("base64url")}`;
}

export interface Trap {
  port: number;
  /** Connections accepted so far, with the local address each one reached. */
  hits: string[];
  close(): Promise<void>;
}

/** Listens on every address (IPv4 and IPv6, loopback included) and counts connections, answering nothing. */
export function startTrap(): Promise<Trap> {
  const hits: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    hits.push(`${s.localAddress}:${s.localPort}`);
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.destroy();
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: 0, host: "::", ipv6Only: false }, () => {
      resolve({ port: (server.address() as { port: number }).port, hits, close: () => closeServer(server, sockets) });
    });
  });
}

function closeServer(server: Server | http.Server, sockets: Set<Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((r) => server.close(() => r()));
}
