/**
 * A streaming chat client for `npm run bench:gateway`: one request over node:http, the answer read
 * as it arrives, with the time of every event the client can observe (first body byte, each SSE
 * content chunk, the end). An OpenAI-compatible stream is `data: {json}` events and `data: [DONE]`;
 * a content chunk is an event whose `choices[0].delta.content` is a non-empty string.
 */
import http from "node:http";

export interface StreamTarget {
  url: string;
  path: string;
  headers: Record<string, string>;
}

export interface StreamResult {
  status: number;
  contentType: string;
  /** ms from writing the request to the first byte of the body. */
  ttfbMs: number;
  /** ms from writing the request to each content chunk's arrival. */
  contentMs: number[];
  /** The stream ended with `data: [DONE]` and every event was valid JSON. */
  done: boolean;
  totalMs: number;
  /** The first 300 characters of a non-200 answer (to say what went wrong). */
  error?: string;
}

/** POSTs `body` (JSON) to the target over `agent`; `onResponse` gets the answer and when the request was sent. */
function post(agent: http.Agent, t: StreamTarget, body: string, reject: (err: Error) => void, onResponse: (res: http.IncomingMessage, started: number) => void): void {
  const u = new URL(t.url + t.path);
  const started = performance.now();
  const req = http.request(
    { host: u.hostname, port: u.port, path: u.pathname, method: "POST", agent, headers: { ...t.headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
    (res) => {
      res.on("error", reject);
      onResponse(res, started);
    },
  );
  req.on("error", reject);
  req.end(body);
}

export function streamOnce(agent: http.Agent, t: StreamTarget, body: string): Promise<StreamResult> {
  return new Promise((resolve, reject) => {
    post(agent, t, body, reject, (res, started) => {
      const r: StreamResult = { status: res.statusCode ?? 0, contentType: String(res.headers["content-type"] ?? ""), ttfbMs: NaN, contentMs: [], done: false, totalMs: NaN };
      let buf = "";
      let valid = true;
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        const now = performance.now() - started;
        if (Number.isNaN(r.ttfbMs)) r.ttfbMs = now;
        if (r.status !== 200) {
          buf += d;
          return;
        }
        buf += d;
        let end: number;
        while ((end = buf.indexOf("\n\n")) >= 0) {
          const event = buf.slice(0, end);
          buf = buf.slice(end + 2);
          for (const line of event.split("\n")) {
            if (!line.startsWith("data:")) continue;
            const data = line.slice(5).trim();
            if (data === "[DONE]") {
              r.done = valid;
              continue;
            }
            try {
              const content = (JSON.parse(data) as { choices?: { delta?: { content?: unknown } }[] }).choices?.[0]?.delta?.content;
              if (typeof content === "string" && content.length > 0) r.contentMs.push(now);
            } catch {
              valid = false;
            }
          }
        }
      });
      res.on("end", () => {
        r.totalMs = performance.now() - started;
        if (r.status !== 200) r.error = buf.slice(0, 300);
        resolve(r);
      });
    });
  });
}

/** One non-streamed request sent like streamOnce's: its status and the time until its body's end. */
export function plainOnce(agent: http.Agent, t: StreamTarget, body: string): Promise<{ status: number; totalMs: number }> {
  return new Promise((resolve, reject) => {
    post(agent, t, body, reject, (res, started) => {
      res.on("data", () => {});
      res.on("end", () => resolve({ status: res.statusCode ?? 0, totalMs: performance.now() - started }));
    });
  });
}

/**
 * How late the worst chunk of a stream is, from each chunk's delay (arrival minus when it was due):
 * the largest delay beyond the least delayed chunk's. A proxy that holds the first chunk back and
 * then lets the rest through at once is late on the first one; one that delays every chunk alike is
 * late on none (that delay is its time to first byte).
 */
export const lateness = (delays: number[]): number => Math.max(...delays) - Math.min(...delays);
