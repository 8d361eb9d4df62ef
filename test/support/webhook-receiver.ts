/** A webhook receiver on loopback that records what arrives and can be told to fail. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { verifySignature } from "../../lib/webhooks/payload";
import type { Json } from "./client";

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  json: Json;
  answered: number;
  /** Whether the signature verified under `secret` at the moment it arrived. */
  signatureOk: boolean | null;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** The next `n` requests are answered with `status`. */
  failNext(n: number, status?: number): void;
  /** The secret signatures are checked against (null = not checked). */
  secret: string | null;
  waitFor(pred: (all: Received[]) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let failures: { n: number; status: number } = { n: 0, status: 500 };
  const r: Receiver = {
    url: "",
    received,
    secret: null,
    failNext(n, status = 500) {
      failures = { n, status };
    },
    async waitFor(pred, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (!pred(received)) {
        if (Date.now() > until) throw new Error(`webhook receiver: condition not met in ${timeoutMs} ms; got ${received.length} request(s)`);
        await new Promise((res) => setTimeout(res, 25));
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
      const status = failures.n > 0 ? failures.status : 200;
      if (failures.n > 0) failures.n--;
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      const signatureOk = r.secret === null ? null : verifySignature(r.secret, headers["x-llmhub-timestamp"], body, headers["x-llmhub-signature"]);
      received.push({ path: req.url ?? "", headers, body, json, answered: status, signatureOk });
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(status === 200 ? "ok" : "receiver failing on purpose");
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return r;
}
